using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using ChatOpsMfa.Hosting;

namespace ChatOpsMfa.Tests.Hosting;

/// <summary>
/// <c>workflow validate|run</c> and remote source descriptions: refused by default; --allow-remote HOST or
/// Arazzo:AllowRemoteHosts lets one host be fetched (the library's shared reading of the keys), within
/// Arazzo:MaxSourceBytes and Arazzo:RemoteTimeout. A loopback server stands in for the remote host.
/// </summary>
public sealed class WorkflowRemoteSourceTests : IAsyncLifetime
{
    private static readonly string Corpus = Path.Combine(RepoPaths.Root, "tests", "ChatOpsMfa.Arazzo.Tests", "Corpus");

    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-remote-").FullName;
    private readonly List<string> _served = [];
    private WebApplication? _server;
    private string _address = string.Empty;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var openApi = await File.ReadAllTextAsync(Path.Combine(Corpus, "pets.openapi.yaml"), Token);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/pets.yaml", () => { _served.Add("pets"); return Results.Text(openApi, "application/yaml"); });
        _server.MapGet("/big.yaml", () => { _served.Add("big"); return Results.Text(openApi + "\n#" + new string('x', 10_000), "application/yaml"); });
        _server.MapGet("/slow.yaml", async (HttpContext context) =>
        {
            _served.Add("slow");
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return Results.Text(openApi);
        });
        await _server.StartAsync(Token);
        _address = _server.Urls.First();
    }

    public async ValueTask DisposeAsync()
    {
        await _server!.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<string> Document(string path)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Corpus, "valid.operation-id.arazzo.yaml"), Token);
        var file = Path.Combine(_folder, "remote.arazzo.yaml");
        await File.WriteAllTextAsync(file, text.Replace("url: ./pets.openapi.yaml", $"url: {_address}{path}", StringComparison.Ordinal), Token);
        return file;
    }

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await WorkflowCommand.RunAsync(args, stdout, stderr, Token);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Validate_refuses_a_remote_source_by_default_and_names_the_option_without_fetching()
    {
        var (exit, output, _) = await Run("validate", await Document("/pets.yaml"));

        Assert.Equal(2, exit);
        Assert.Contains("/sourceDescriptions/0/url", output, StringComparison.Ordinal);
        Assert.Contains("remote source descriptions are refused unless their host is allowed (--allow-remote 127.0.0.1, or Arazzo:AllowRemoteHosts)", output, StringComparison.Ordinal);
        Assert.Empty(_served);
    }

    [Fact]
    public async Task Validate_fetches_a_remote_source_from_the_host_named_by_allow_remote()
    {
        var (exit, output, error) = await Run("validate", await Document("/pets.yaml"), "--allow-remote", "127.0.0.1");

        Assert.True(exit == 0, output + error);
        Assert.Equal(["pets"], _served);
    }

    [Fact]
    public async Task Validate_fetches_a_remote_source_from_a_host_named_by_the_configuration_key()
    {
        var (exit, output, error) = await Run("validate", await Document("/pets.yaml"), "--Arazzo:AllowRemoteHosts=specs.example.com,127.0.0.1");

        Assert.True(exit == 0, output + error);
        Assert.Equal(["pets"], _served);
    }

    [Fact]
    public async Task Another_allowed_host_does_not_let_this_one_through()
    {
        var (exit, output, _) = await Run("validate", await Document("/pets.yaml"), "--allow-remote", "specs.example.com");

        Assert.Equal(2, exit);
        Assert.Contains("is remote (127.0.0.1)", output, StringComparison.Ordinal);
        Assert.Empty(_served);
    }

    [Fact]
    public async Task Run_refuses_a_remote_source_by_default_before_any_call()
    {
        var (exit, _, error) = await Run("run", await Document("/pets.yaml"), "--workflow-id", "get-pet", "--input", "id=1");

        Assert.Equal(2, exit);
        Assert.Contains("--allow-remote 127.0.0.1", error, StringComparison.Ordinal);
        Assert.Empty(_served);
    }

    [Fact]
    public async Task A_remote_source_over_the_configured_size_limit_is_refused_naming_the_limit()
    {
        var (exit, output, _) = await Run("validate", await Document("/big.yaml"), "--allow-remote", "127.0.0.1", "--Arazzo:MaxSourceBytes=4096");

        Assert.Equal(2, exit);
        Assert.Contains("the limit is 4096 bytes", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_source_slower_than_the_configured_time_limit_is_refused()
    {
        var (exit, output, _) = await Run("validate", await Document("/slow.yaml"), "--allow-remote", "127.0.0.1", "--Arazzo:RemoteTimeout=00:00:00.2");

        Assert.Equal(2, exit);
        Assert.Contains("could not be fetched within 0.2 s", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Arazzo:RemoteTimeout=soon", "Arazzo:RemoteTimeout: 'soon' is not a positive time span")]
    [InlineData("--Arazzo:MaxSourceBytes=-1", "Arazzo:MaxSourceBytes: '-1' is not a positive number of bytes")]
    [InlineData("--Arazzo:AllowRemoteHosts=https://specs.example.com/", "'https://specs.example.com/' is not a host name")]
    public async Task A_malformed_remote_setting_is_refused_naming_the_key_and_nothing_is_fetched(string setting, string message)
    {
        var (exit, _, error) = await Run("validate", await Document("/pets.yaml"), setting);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(_served);
    }

    [Fact]
    public async Task A_source_in_a_sibling_folder_is_refused_and_the_message_names_the_source_root_to_pass()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "arazzo"));
        Directory.CreateDirectory(Path.Combine(_folder, "openapi"));
        File.Copy(Path.Combine(Corpus, "pets.openapi.yaml"), Path.Combine(_folder, "openapi", "pets.openapi.yaml"));
        var text = await File.ReadAllTextAsync(Path.Combine(Corpus, "valid.operation-id.arazzo.yaml"), Token);
        var file = Path.Combine(_folder, "arazzo", "sibling.arazzo.yaml");
        await File.WriteAllTextAsync(file, text.Replace("url: ./pets.openapi.yaml", "url: ../openapi/pets.openapi.yaml", StringComparison.Ordinal), Token);

        var (refused, output, _) = await Run("validate", file);
        var (accepted, again, error) = await Run("validate", file, "--source-root", _folder);

        Assert.Equal(2, refused);
        Assert.Contains("is outside the folder", output, StringComparison.Ordinal);
        Assert.Contains($"--source-root {_folder}", output, StringComparison.Ordinal);
        Assert.True(accepted == 0, again + error);
    }
}
