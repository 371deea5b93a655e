using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>Remote source descriptions: refused by default, fetched only from allowed hosts, with size and time limits.</summary>
public sealed class RemoteSourceTests : IAsyncLifetime
{
    private readonly TestWorkspace _workspace = new();
    private readonly List<string> _served = [];
    private WebApplication? _server;
    private string _address = string.Empty;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        (_server, _address) = await LocalHttpServer.StartAsync(
            server =>
            {
                server.MapGet("/pets.yaml", () => { _served.Add("pets"); return Results.Text(Fixtures.PetStoreOpenApi, "application/yaml"); });
                server.MapGet("/big.yaml", () => { _served.Add("big"); return Results.Text(Fixtures.PetStoreOpenApi + "\n#" + new string('x', 10_000), "application/yaml"); });
                server.MapGet("/moved.yaml", () => { _served.Add("moved"); return Results.Redirect("/pets.yaml"); });
                server.MapGet("/slow.yaml", async (HttpContext context) =>
                {
                    _served.Add("slow");
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                    return Results.Text(Fixtures.PetStoreOpenApi);
                });
            },
            Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _server!.DisposeAsync();
        _workspace.Dispose();
    }

    private string Document(string path) => Fixtures.Header.Replace("url: ./petstore.yaml", $"url: {_address}{path}", StringComparison.Ordinal) + """

        workflows:
          - workflowId: list
            steps:
              - stepId: list
                operationId: listPets
        """;

    private Task<ArazzoLoadResult> LoadAsync(string path, ArazzoLoadOptions? options = null) =>
        ArazzoDocumentLoader.LoadAsync(_workspace.Write("w.arazzo.yaml", Document(path)), options ?? new ArazzoLoadOptions(), Token);

    [Fact]
    public async Task Remote_source_is_refused_by_default_without_a_request()
    {
        var result = await LoadAsync("/pets.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("/sourceDescriptions/0/url", error.Pointer);
        Assert.Contains("remote source descriptions are refused unless their host is allowed (--allow-remote 127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Empty(_served);
    }

    [Fact]
    public async Task Remote_source_from_an_allowed_host_is_fetched()
    {
        var result = await LoadAsync("/pets.yaml", new ArazzoLoadOptions { AllowedRemoteHosts = ["127.0.0.1"] });

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal("GET", result.Document!.FindOperation("list", "list")!.Method);
        Assert.Equal(["pets"], _served);
    }

    [Fact]
    public async Task Another_host_stays_refused()
    {
        var result = await LoadAsync("/pets.yaml", new ArazzoLoadOptions { AllowedRemoteHosts = ["specs.example.com"] });

        Assert.Contains("is remote (127.0.0.1)", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.Empty(_served);
    }

    [Fact]
    public async Task Oversized_remote_source_is_refused_naming_the_limit()
    {
        var result = await LoadAsync("/big.yaml", new ArazzoLoadOptions { AllowedRemoteHosts = ["127.0.0.1"], MaxSourceBytes = 4096 });

        Assert.Contains("the limit is 4096 bytes", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_remote_source_is_refused_after_the_time_limit()
    {
        var result = await LoadAsync("/slow.yaml", new ArazzoLoadOptions { AllowedRemoteHosts = ["127.0.0.1"], RemoteTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.Contains("could not be fetched within 0.2 s", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirect_is_not_followed()
    {
        var result = await LoadAsync("/moved.yaml", new ArazzoLoadOptions { AllowedRemoteHosts = ["127.0.0.1"] });

        Assert.Contains("answered HTTP 302 (redirects are not followed)", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(["moved"], _served);
    }
}
