using ChatOpsMfa.Channels.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Local;

/// <summary>
/// Local mode hands out Direct Line tokens to anyone who can reach it and trusts the user id they send: it may only
/// ever drive the built-in Okta sandbox, and only ever listen on this machine.
/// </summary>
public sealed class LocalModeStartupTests
{
    [Theory]
    [InlineData("https://example.okta.com")]
    [InlineData("https://acme.oktapreview.com/")]
    [InlineData("https://10.0.0.5:8443")]
    public void Local_mode_with_a_real_Okta_org_stops_startup_naming_the_key(string orgUrl)
    {
        var builder = Builder(new Dictionary<string, string?> { ["LocalChat:Enabled"] = "true", ["Okta:Client:OrgUrl"] = orgUrl });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddLocalChat());

        Assert.Contains("Okta:Client:OrgUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("LocalChat:Enabled", error.Message, StringComparison.Ordinal);
        Assert.Contains("sandbox", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_mode_is_on_by_default_in_Development_so_a_real_org_there_is_refused_too()
    {
        var builder = Builder(new Dictionary<string, string?> { ["LocalChat:Enabled"] = null, ["Okta:Client:OrgUrl"] = "https://example.okta.com" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddLocalChat());

        Assert.Contains("Okta:Client:OrgUrl", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The crash tests run the sandbox in the test process, so that it outlives the killed bot.</summary>
    [Theory]
    [InlineData("http://127.0.0.1:5999/")]
    [InlineData("http://localhost:5999")]
    [InlineData("")]
    public void Local_mode_accepts_the_sandbox_running_in_this_or_another_process_on_this_machine(string orgUrl)
    {
        var builder = Builder(new Dictionary<string, string?> { ["LocalChat:Enabled"] = "true", ["Okta:Client:OrgUrl"] = orgUrl });

        builder.AddLocalChat();

        using var app = builder.Build();
        Assert.NotNull(app.Services.GetService<LocalChatChannel>());
    }

    [Fact]
    public void A_real_org_is_fine_when_local_mode_is_off()
    {
        var builder = Builder(new Dictionary<string, string?> { ["LocalChat:Enabled"] = "false", ["Okta:Client:OrgUrl"] = "https://example.okta.com" });

        builder.AddLocalChat();

        using var app = builder.Build();
        Assert.Null(app.Services.GetService<LocalChatChannel>());
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://[::]:0")]
    [InlineData("http://127.0.0.1:0;http://0.0.0.0:0")]
    public async Task Local_mode_listening_beyond_loopback_stops_startup(string urls)
    {
        var builder = Builder(new Dictionary<string, string?> { ["LocalChat:Enabled"] = "true" });
        builder.WebHost.UseUrls(urls);
        builder.AddLocalChat();
        await using var app = builder.Build();
        app.MapLocalChat();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("LocalChat:Enabled", error.Message, StringComparison.Ordinal);
        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
        Assert.Contains(urls.Contains("[::]", StringComparison.Ordinal) ? "[::]" : "0.0.0.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_mode_listening_on_loopback_starts()
    {
        var builder = Builder(new Dictionary<string, string?> { ["LocalChat:Enabled"] = "true" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddLocalChat();
        await using var app = builder.Build();
        app.MapLocalChat();

        await app.StartAsync(TestContext.Current.CancellationToken);

        Assert.All(app.Urls, url => Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal));
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private static WebApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = RepoPaths.WebProject,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<ILocalCardRenderer, PlaceholderCardRenderer>();
        return builder;
    }
}
