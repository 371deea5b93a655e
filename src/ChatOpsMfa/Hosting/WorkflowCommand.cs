using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Hosting;

/// <summary>
/// <c>workflow validate FILE</c> and <c>workflow run FILE --workflow-id ID --input name=value ...</c>: for admins who
/// customise the workflow and for anyone checking an Okta org. The API token always comes from configuration.
/// </summary>
public static class WorkflowCommand
{
    public const int Success = 0;
    public const int StepFailed = 1;
    public const int Invalid = 2;

    private const string Usage = """
        Usage:
          workflow validate FILE [--source-root DIR] [--allow-remote HOST]...
          workflow run FILE --workflow-id ID [--input name=value]... [--input-json name=JSON]... [--source-root DIR]
                       [--server NAME=URL]... [--allow-remote HOST]...

        Source descriptions are read only inside DIR: by default the document's folder, or, for a document in a
        folder named 'workflows' (the layout the bot ships: workflows/ beside openapi/), the folder holding it.
        Remote source descriptions (https) are refused unless --allow-remote HOST or Arazzo:AllowRemoteHosts names their
        host; they are fetched without redirects, within Arazzo:RemoteTimeout (10 s) and Arazzo:MaxSourceBytes (32 MiB).

        A document with several source descriptions runs against any APIs: --server NAME=URL sets a source's base URL
        and Arazzo:Sources:{name}:Headers:{header} its credentials, sent to that source only; the Okta token and org
        are not used for it.

        'run' of a one-source (Okta) document calls the Okta org in Okta:Client:OrgUrl with the token in Okta:Client:Token (or the built-in sandbox
        in Development when no OrgUrl is set). The input oktaApiToken is filled from configuration, never from the
        command line.
        """;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        switch (args)
        {
            case ["validate", var file, .. var rest]:
                var validate = RunArguments.ParseValidate(rest);
                if (validate.Problem is not null)
                {
                    await stderr.WriteLineAsync(validate.Problem + Environment.NewLine + Usage);
                    return Invalid;
                }

                return await ValidateAsync(file, validate, stdout, stderr, cancellationToken);
            case ["run", var file, .. var rest]:
                var parsed = RunArguments.Parse(rest);
                if (parsed.Problem is not null)
                {
                    await stderr.WriteLineAsync(parsed.Problem + Environment.NewLine + Usage);
                    return Invalid;
                }

                return await RunWorkflowAsync(file, parsed, stdout, stderr, cancellationToken);
            default:
                await stderr.WriteLineAsync(Usage);
                return Invalid;
        }
    }

    private static async Task<int> ValidateAsync(string file, RunArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        // Only the configuration is needed (Arazzo:AllowRemoteHosts and the limits): no host is built or started.
        var configuration = Builder(arguments.ConfigurationArgs).Configuration;
        if (await LoadAsync(file, arguments, configuration, stderr, cancellationToken) is not { } loaded)
        {
            return Invalid;
        }

        foreach (var diagnostic in loaded.Diagnostics)
        {
            await stdout.WriteLineAsync(Format(diagnostic));
        }

        await stdout.WriteLineAsync(loaded.IsValid ? $"{file}: valid" : $"{file}: not valid");
        return loaded.IsValid ? Success : Invalid;
    }

    private static async Task<int> RunWorkflowAsync(
        string file, RunArguments arguments, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var host = BuildHost(arguments.ConfigurationArgs);
        if (await LoadAsync(file, arguments, host.Services.GetRequiredService<IConfiguration>(), stderr, cancellationToken) is not { } loaded)
        {
            return Invalid;
        }

        foreach (var diagnostic in loaded.Diagnostics)
        {
            await stderr.WriteLineAsync(Format(diagnostic));
        }

        if (!loaded.IsValid || loaded.Document is null)
        {
            return Invalid;
        }

        await host.StartAsync(cancellationToken);
        try
        {
            var endpoint = host.Services.GetRequiredService<OktaEndpoint>();
            var document = loaded.Document;
            if (arguments.Servers.Keys.FirstOrDefault(name => document.SourceDescriptions.All(s => s.Name != name)) is { } unknown)
            {
                await stderr.WriteLineAsync($"--server {unknown}=...: the document has no source description '{unknown}'.");
                return Invalid;
            }

            // A document with one source is an Okta workflow (the seed): the Okta org, its client (token, rate limits).
            // With several sources, no API gets the Okta org or the Okta client's token by default: each source uses
            // --server or its OpenAPI server, and Arazzo:Sources:{name}:Headers:{header}, sent to that source only.
            var oktaOnly = document.SourceDescriptions.Count == 1;
            var inputs = new Dictionary<string, JsonNode?>(arguments.Inputs);
            if (oktaOnly)
            {
                inputs["oktaApiToken"] = endpoint.ApiToken;
            }

            var clients = host.Services.GetRequiredService<IHttpClientFactory>();
            var http = oktaOnly ? clients.CreateClient(OktaClient.HttpClientName) : clients.CreateClient(string.Empty);
            var runner = new ArazzoWorkflowRunner(http, host.Services.GetRequiredService<TimeProvider>());
            var result = await runner.RunAsync(document, arguments.WorkflowId!, inputs, new WorkflowRunOptions
            {
                ServerUrl = oktaOnly ? endpoint.BaseUrl : null,
                ServerUrls = arguments.Servers,
                SourceHeaders = SourceCredentials.FromConfiguration(host.Services.GetRequiredService<IConfiguration>().AsEnumerable()),
            }, cancellationToken);

            if (result.Succeeded)
            {
                await stdout.WriteLineAsync(new JsonObject(result.Outputs.Select(o =>
                    KeyValuePair.Create(o.Key, o.Value?.DeepClone()))).ToJsonString(Indented));
                return Success;
            }

            await stderr.WriteLineAsync(oktaOnly ? Describe(result.Failure!, endpoint) : result.Failure!.Message);
            return result.Failure!.Kind is WorkflowFailureKind.InvalidInputs or WorkflowFailureKind.UnknownWorkflow
                or WorkflowFailureKind.InvalidDocument ? Invalid : StepFailed;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static string Describe(WorkflowFailure failure, OktaEndpoint endpoint)
    {
        var step = failure.StepId is null ? "The workflow" : $"Step '{failure.StepId}'";
        if (failure.StatusCode is { } status)
        {
            var okta = OktaError.FromResponse(status, failure.ResponseBody);
            return $"{step} failed with HTTP {status}: {okta.Message}";
        }

        return failure.Kind == WorkflowFailureKind.Transport
            ? $"{step} failed: {endpoint} could not be reached. {failure.Message}"
            : $"{step} failed: {failure.Message}";
    }

    /// <summary>
    /// Loads with the library's own reading of the Arazzo:* keys (<see cref="ArazzoConfiguration"/>, shared with the
    /// arazzo tool), plus --allow-remote; null, after saying why, when a key's value is malformed.
    /// </summary>
    private static async Task<ArazzoLoadResult?> LoadAsync(
        string file, RunArguments arguments, IConfiguration configuration, TextWriter stderr, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(file);
        var folder = Path.GetDirectoryName(path)!;
        var sourceRoot = arguments.SourceRoot ?? (Path.GetFileName(folder) == "workflows" ? Path.GetDirectoryName(folder) : folder);
        ArazzoLoadOptions options;
        try
        {
            options = ArazzoConfiguration.LoadOptions(configuration.AsEnumerable(), arguments.AllowedRemoteHosts, sourceRoot);
        }
        catch (FormatException exception)
        {
            await stderr.WriteLineAsync(exception.Message);
            return null;
        }

        return await ArazzoDocumentLoader.LoadAsync(path, options, cancellationToken);
    }

    private static string Format(ArazzoDiagnostic diagnostic) =>
        $"{(diagnostic.Severity == ArazzoSeverity.Error ? "error" : "warning")} {diagnostic.Location}: {diagnostic.Message}";

    private static HostApplicationBuilder Builder(string[] configurationArgs) =>
        Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = configurationArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });

    private static IHost BuildHost(string[] configurationArgs)
    {
        var builder = Builder(configurationArgs);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.RefuseLocalModeOutsideDevelopment();
        builder.AddOkta();
        return builder.Build();
    }
}
