using System.Net;
using System.Text.RegularExpressions;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Local;

public sealed class LocalChatHostingTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Enabling_local_chat_outside_Development_stops_startup(string environment)
    {
        var builder = Builder(environment, new Dictionary<string, string?> { ["LocalChat:Enabled"] = "true" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddLocalChat());

        Assert.Contains("LocalChat:Enabled", error.Message, StringComparison.Ordinal);
        Assert.Contains(environment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_chat_is_off_by_default_outside_Development()
    {
        var builder = Builder("Production", new Dictionary<string, string?>());
        builder.WebHost.UseTestServer();
        builder.AddLocalChat();
        await using var app = builder.Build();
        app.MapLocalChat();
        await app.StartAsync(TestContext.Current.CancellationToken);

        using var response = await app.GetTestClient().PostAsync(new Uri("/v3/directline/tokens/generate", UriKind.Relative), null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(app.Services.GetServices<IChatChannel>());
    }

    [Fact]
    public async Task Local_chat_can_be_switched_off_in_Development()
    {
        var builder = Builder("Development", new Dictionary<string, string?> { ["LocalChat:Enabled"] = "false" });
        builder.AddLocalChat();
        await using var app = builder.Build();

        Assert.Empty(app.Services.GetServices<IChatChannel>());
    }

    [Fact]
    public void Invalid_support_conversation_id_stops_startup()
    {
        var builder = Builder("Development", new Dictionary<string, string?> { ["LocalChat:SupportConversationId"] = "support room" });
        builder.WebHost.UseTestServer();
        builder.AddLocalChat();
        using var app = builder.Build();

        var error = Assert.ThrowsAny<Exception>(() => app.StartAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult());

        Assert.Contains("LocalChat:SupportConversationId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_shows_both_panes_and_loads_web_chat_from_this_server_only()
    {
        await using var host = await LocalChatTestHost.StartAsync();

        var page = await host.Client.Http.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        var script = await host.Client.Http.GetStringAsync(new Uri("/local/app.js", UriKind.Relative), TestContext.Current.CancellationToken);
        using var bundle = await host.Client.Http.GetAsync(new Uri("/lib/botframework-webchat/webchat.js", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("id=\"alice-chat\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"bob-chat\"", page, StringComparison.Ordinal);
        Assert.Contains("Okta is the built-in sandbox, nothing real is changed", page, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/lib/botframework-webchat/webchat.js\"></script>", page, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//"), page);
        Assert.Contains("webSocket: false", script, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
    }

    [Fact]
    public async Task Info_tells_the_page_about_the_sandbox_and_the_support_conversation()
    {
        await using var host = await LocalChatTestHost.StartAsync(settings: new Dictionary<string, string?> { ["LocalChat:OktaIsSandbox"] = "false" });

        var (status, info) = await host.Client.SendAsync(HttpMethod.Get, "/local/info", null, null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(info!["oktaSandbox"]!.GetValue<bool>());
        Assert.Equal("support", info["supportConversationId"]!.GetValue<string>());
    }

    private static WebApplicationBuilder Builder(string environment, Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = RepoPaths.WebProject,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<ILocalCardRenderer, PlaceholderCardRenderer>();
        return builder;
    }
}
