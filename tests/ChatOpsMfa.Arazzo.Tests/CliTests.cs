using Arazzo.Cli;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>The <c>arazzo</c> tool, in-process with captured output, against a real local HTTP server.</summary>
public sealed class CliTests : IAsyncLifetime
{
    private readonly List<(string Path, string? Authorization, string? ApiKey)> _requests = [];
    private WebApplication? _server;
    private string _address = string.Empty;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_server, _address) = await LocalHttpServer.StartAsync(server => server.Run(async context =>
        {
            _requests.Add((context.Request.Path, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers["X-Api-Key"].FirstOrDefault()));
            context.Response.ContentType = "application/json";
            if (context.Request.Path == "/pets-api/pets/9")
            {
                await context.Response.WriteAsync("""{"id":9,"name":"Rex"}""", context.RequestAborted);
            }
            else if (context.Request.Path == "/orders-api/orders")
            {
                context.Response.StatusCode = 409;
                await context.Response.WriteAsync("""{"error":"sold"}""", context.RequestAborted);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        }), Token);
    }

    public async ValueTask DisposeAsync() => await _server!.DisposeAsync();

    private static async Task<(int Exit, string Out, string Err)> Run(IReadOnlyList<KeyValuePair<string, string?>> configuration, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await ArazzoCommand.RunAsync(args, stdout, stderr, configuration, Token);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Corpus(string file) => Path.Combine(CorpusTests.Folder, file);

    [Fact]
    public async Task Validate_accepts_a_valid_document()
    {
        var (exit, output, _) = await Run([], "validate", Corpus("valid.workflow-step.arazzo.yaml"));

        Assert.Equal(0, exit);
        Assert.EndsWith("valid.workflow-step.arazzo.yaml: valid" + Environment.NewLine, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_refuses_an_invalid_document_with_one_located_error()
    {
        var (exit, output, _) = await Run([], "validate", Corpus("invalid.goto-missing-workflow.arazzo.yaml"));

        Assert.Equal(2, exit);
        var error = Assert.Single(output.Split(Environment.NewLine), l => l.StartsWith("error", StringComparison.Ordinal));
        Assert.StartsWith("error /workflows/0/steps/0/onFailure/0/workflowId (", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_sends_each_source_to_its_server_with_its_own_credentials_and_names_the_failure()
    {
        var configuration = new List<KeyValuePair<string, string?>>
        {
            new("Arazzo:Sources:pets:Headers:Authorization", "Bearer pets-secret"),
            new("Arazzo:Sources:orders:Headers:X-Api-Key", "orders-secret"),
        };

        var (exit, _, error) = await Run(configuration, "run", Corpus("valid.two-sources.arazzo.yaml"), "--workflow-id", "buy", "--input", "id=9",
            "--server", $"pets={_address}/pets-api", "--server", $"orders={_address}/orders-api");

        Assert.Equal(1, exit);
        Assert.Equal("step 'order' failed: the API answered HTTP 409; the success criterion '$statusCode == 201' did not hold", error.Trim());
        Assert.Equal([("/pets-api/pets/9", "Bearer pets-secret", null), ("/orders-api/orders", null, "orders-secret")], _requests);
        Assert.DoesNotContain("secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_prints_the_outputs_as_json()
    {
        var (exit, output, error) = await Run([], "run", Corpus("valid.operation-id.arazzo.yaml"), "--workflow-id", "get-pet", "--input", "id=9",
            "--server", $"pets={_address}/pets-api");

        Assert.Equal(0, exit);
        Assert.Equal("Rex", System.Text.Json.Nodes.JsonNode.Parse(output)!["name"]!.GetValue<string>());
        Assert.Empty(error);
    }

    [Fact]
    public async Task Server_for_an_unknown_source_is_refused_before_any_request()
    {
        var (exit, _, error) = await Run([], "run", Corpus("valid.operation-id.arazzo.yaml"), "--workflow-id", "get-pet", "--input", "id=9",
            "--server", $"petz={_address}");

        Assert.Equal(2, exit);
        Assert.Contains("no source description 'petz'", error, StringComparison.Ordinal);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task Missing_required_input_is_an_invalid_run()
    {
        var (exit, _, error) = await Run([], "run", Corpus("valid.operation-id.arazzo.yaml"), "--workflow-id", "get-pet");

        Assert.Equal(2, exit);
        Assert.Contains("missing required input(s): 'id'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_is_printed_for_an_unknown_command()
    {
        var (exit, _, error) = await Run([], "execute");

        Assert.Equal(2, exit);
        Assert.Contains("arazzo validate FILE", error, StringComparison.Ordinal);
    }
}
