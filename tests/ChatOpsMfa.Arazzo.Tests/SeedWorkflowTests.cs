using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>The seed document, byte for byte, beside a minimal Okta OpenAPI subset.</summary>
public class SeedWorkflowTests : IDisposable
{
    private const string WorkflowId = "reset-and-reenroll-factor";
    private readonly TestWorkspace _workspace = new();
    private readonly string _seedPath;

    public SeedWorkflowTests()
    {
        _seedPath = Path.Combine(_workspace.Root, "workflows", "okta-reset-and-reenroll-factor.arazzo.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(_seedPath)!);
        File.Copy(Fixtures.SeedPath, _seedPath);
        _workspace.Write("openapi/okta-openapi-original.yml", Fixtures.MinimalOktaOpenApi);
    }

    public void Dispose() => _workspace.Dispose();

    /// <summary>The shipped layout: workflows/ beside openapi/, the source root being the folder holding both.</summary>
    private Task<ArazzoLoadResult> LoadSeedAsync() =>
        ArazzoDocumentLoader.LoadAsync(_seedPath, new ArazzoLoadOptions { SourceRoot = _workspace.Root }, TestContext.Current.CancellationToken);

    private static Dictionary<string, JsonNode?> Inputs() => new()
    {
        ["oktaApiToken"] = "00secret-token",
        ["userId"] = "00u1 abc/x",
        ["factorType"] = "token:software:totp",
        ["provider"] = "GOOGLE",
    };

    [Fact]
    public async Task Seed_loads_unmodified_with_bare_expression_warnings_only()
    {
        Assert.Equal(File.ReadAllBytes(Fixtures.SeedPath), File.ReadAllBytes(_seedPath));

        var result = await LoadSeedAsync();

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var warnings = result.Warnings.ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Equal("/workflows/0/steps/0/parameters/0/value", warnings[0].Pointer);
        Assert.Contains("'SSWS {$inputs.oktaApiToken}'", warnings[0].Message, StringComparison.Ordinal);
        Assert.Matches(@"\(\d+:\d+\)$", warnings[0].Location);
    }

    [Fact]
    public async Task Seed_without_its_openapi_file_is_invalid_and_names_the_url()
    {
        File.Delete(Path.Combine(_workspace.Root, "openapi", "okta-openapi-original.yml"));

        var result = await LoadSeedAsync();

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Pointer == "/sourceDescriptions/0/url");
    }

    [Fact]
    public async Task Seed_runs_through_a_real_http_server_and_sends_the_exact_requests()
    {
        var requests = new List<(string Method, string Path, string? Authorization, string ContentType, string Body)>();
        var (app, address) = await LocalHttpServer.StartAsync(server => MapOktaStub(server, requests), TestContext.Current.CancellationToken);
        await using var stub = app;
        var document = (await LoadSeedAsync()).Document!;
        using var http = new HttpClient();

        var run = await new ArazzoWorkflowRunner(http).RunAsync(
            document, WorkflowId, Inputs(), new WorkflowRunOptions { ServerUrl = new Uri(address + "/okta/") }, TestContext.Current.CancellationToken);

        Assert.True(run.Succeeded, run.Failure?.Message);
        Assert.Equal(2, requests.Count);
        Assert.Equal(("POST", "/okta/api/v1/users/00u1%20abc%2Fx/lifecycle/reset_factors", "SSWS 00secret-token"), (requests[0].Method, requests[0].Path, requests[0].Authorization));
        Assert.Equal(("POST", "/okta/api/v1/users/00u1%20abc%2Fx/factors", "SSWS 00secret-token"), (requests[1].Method, requests[1].Path, requests[1].Authorization));
        Assert.StartsWith("application/json", requests[1].ContentType, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"factorType":"token:software:totp","provider":"GOOGLE"}"""), JsonNode.Parse(requests[1].Body)));
        Assert.Equal("ufs1", run.Outputs["factorId"]!.GetValue<string>());
        Assert.Equal("00u1 abc/x", run.Outputs["userId"]!.GetValue<string>());
        Assert.Equal("PENDING_ACTIVATION", run.Steps[1].Outputs["factorStatus"]!.GetValue<string>());
    }

    [Fact]
    public async Task Seed_enroll_refusal_is_a_step_failure_without_secrets_in_the_message()
    {
        var document = (await LoadSeedAsync()).Document!;
        var handler = new RecordingHandler(
            RecordingHandler.Status(HttpStatusCode.OK),
            RecordingHandler.Json(HttpStatusCode.BadRequest, """{"errorCode":"E0000001","errorSummary":"Api validation failed: factorEnrollRequest"}"""));

        var run = await new ArazzoWorkflowRunner(new HttpClient(handler)).RunAsync(document, WorkflowId, Inputs(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(run.Succeeded);
        Assert.Equal(WorkflowFailureKind.StepFailed, run.Failure!.Kind);
        Assert.Equal("enrollFactor", run.Failure.StepId);
        Assert.Equal(400, run.Failure.StatusCode);
        Assert.Equal("E0000001", run.Failure.ResponseBody!["errorCode"]!.GetValue<string>());
        Assert.DoesNotContain("secret", run.Failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("https://subdomain.okta.com/api/v1/users/00u1%20abc%2Fx/lifecycle/reset_factors", handler.Requests[0].Url.AbsoluteUri);
    }

    private static void MapOktaStub(WebApplication app, List<(string, string, string?, string, string)> requests) =>
        app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            var rawPath = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget;
            requests.Add((context.Request.Method, rawPath, context.Request.Headers.Authorization.ToString(), context.Request.ContentType ?? string.Empty, body));
            if (rawPath.EndsWith("/factors", StringComparison.Ordinal))
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"id":"ufs1","factorType":"token:software:totp","provider":"GOOGLE","status":"PENDING_ACTIVATION"}""", context.RequestAborted);
            }
        });
}
