using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo;

namespace Arazzo.Cli;

/// <summary><c>arazzo validate FILE</c> and <c>arazzo run FILE --workflow-id ID</c>, for any API.</summary>
internal static class ArazzoCommand
{
    public const int Success = 0;
    public const int StepFailed = 1;
    public const int Invalid = 2;

    public const string Usage = """
        Usage:
          arazzo validate FILE [--source-root DIR] [--allow-remote HOST]...
          arazzo run FILE --workflow-id ID [--input name=value]... [--input-json name=JSON]...
                     [--server NAME=URL]... [--source-root DIR] [--allow-remote HOST]... [--config FILE.json]

        --server NAME=URL      base URL of source description NAME (replaces its OpenAPI servers[0])
        --source-root DIR      source description files are read only inside DIR (default: the document's folder)
        --allow-remote HOST    fetch remote source descriptions from HOST (https; refused by default; also
                               Arazzo:AllowRemoteHosts, with Arazzo:RemoteTimeout and Arazzo:MaxSourceBytes)
        --config FILE.json     configuration file, e.g. {"Arazzo":{"Sources":{"pets":{"Headers":{"Authorization":"..."}}}}}

        Credentials: Arazzo:Sources:{name}:Headers:{header} (environment: Arazzo__Sources__{name}__Headers__{header}) is
        sent with the operations of source {name} only. Exit codes: 0 success, 1 a step failed, 2 invalid input.
        """;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(
        string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyList<KeyValuePair<string, string?>> environment, CancellationToken cancellationToken)
    {
        if (args is not ["validate" or "run", .. var rest])
        {
            await stderr.WriteLineAsync(Usage);
            return Invalid;
        }

        var arguments = CliArguments.Parse(rest);
        if (arguments.Problem is null && args[0] == "run" && arguments.WorkflowId is null)
        {
            await stderr.WriteLineAsync("--workflow-id is required." + Environment.NewLine + Usage);
            return Invalid;
        }

        if (arguments.Problem is not null)
        {
            await stderr.WriteLineAsync(arguments.Problem + Environment.NewLine + Usage);
            return Invalid;
        }

        var configuration = environment.ToList();
        if (arguments.ConfigFile is { } configFile)
        {
            configuration.AddRange(CliConfiguration.FromJsonFile(configFile));
        }

        ArazzoLoadOptions options;
        try
        {
            options = ArazzoConfiguration.LoadOptions(configuration, arguments.AllowedRemoteHosts, arguments.SourceRoot);
        }
        catch (FormatException exception)
        {
            await stderr.WriteLineAsync(exception.Message);
            return Invalid;
        }

        var loaded = await ArazzoDocumentLoader.LoadAsync(Path.GetFullPath(arguments.File!), options, cancellationToken);
        var diagnostics = args[0] == "validate" ? stdout : stderr;
        foreach (var diagnostic in loaded.Diagnostics)
        {
            await diagnostics.WriteLineAsync($"{(diagnostic.Severity == ArazzoSeverity.Error ? "error" : "warning")} {diagnostic.Location}: {diagnostic.Message}");
        }

        if (args[0] == "validate")
        {
            await stdout.WriteLineAsync(loaded.IsValid ? $"{arguments.File}: valid" : $"{arguments.File}: not valid");
            return loaded.IsValid ? Success : Invalid;
        }

        if (loaded.Document is not { } document)
        {
            return Invalid;
        }

        if (arguments.Servers.Keys.FirstOrDefault(name => document.SourceDescriptions.All(s => s.Name != name)) is { } unknown)
        {
            await stderr.WriteLineAsync($"--server {unknown}=...: the document has no source description '{unknown}'.");
            return Invalid;
        }

        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var run = await new ArazzoWorkflowRunner(http).RunAsync(document, arguments.WorkflowId!, arguments.Inputs, new WorkflowRunOptions
        {
            ServerUrls = arguments.Servers,
            SourceHeaders = SourceCredentials.FromConfiguration(configuration),
        }, cancellationToken);
        if (run.Succeeded)
        {
            var outputs = new JsonObject(run.Outputs.Select(o => KeyValuePair.Create(o.Key, o.Value?.DeepClone())));
            await stdout.WriteLineAsync(outputs.ToJsonString(Indented));
            return Success;
        }

        await stderr.WriteLineAsync(run.Failure!.Message);
        return run.Failure.Kind is WorkflowFailureKind.StepFailed or WorkflowFailureKind.Transport ? StepFailed : Invalid;
    }
}
