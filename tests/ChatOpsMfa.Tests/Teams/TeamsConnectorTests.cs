using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Channels.Teams.Connector;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>The outbound side: the Connector token, where it may go, the 1:1 conversation and Connector errors.</summary>
public sealed class TeamsConnectorTests : IAsyncLifetime
{
    private FakeBotFramework _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeBotFramework.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static ConversationRef Dm(TeamsTestUser user) => new("msteams", user.PersonalConversationId, false, FakeBotFramework.TenantId);

    [Fact]
    public async Task One_token_request_serves_concurrent_sends_and_asks_for_the_botframework_scope()
    {
        using var host = new TeamsTestHost(_fake);
        await host.StartAsync();
        var channel = host.Services.GetRequiredService<TeamsChatChannel>();
        host.Services.GetRequiredService<ConnectorTokenProvider>().Forget(FakeBotFramework.AccessToken); // the roster's, at start
        _fake.TokenDelayMilliseconds = 300;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            channel.PostAsync(Dm(Alice), new ChatMessage("hello " + i), CancellationToken.None)));

        Assert.Equal(1, _fake.TokenRequests);
        var token = Assert.Single(_fake.Calls, c => c.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal));
        Assert.Equal("/botframework.com/oauth2/v2.0/token", token.Path);
        Assert.Contains("grant_type=client_credentials", token.Body, StringComparison.Ordinal);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", token.Body, StringComparison.Ordinal);
        Assert.Contains("client_id=" + FakeBotFramework.AppId, token.Body, StringComparison.Ordinal);
        Assert.Equal(20, _fake.ConnectorCalls.Count);
        Assert.All(_fake.ConnectorCalls, c => Assert.Equal("Bearer " + FakeBotFramework.AccessToken, c.Authorization));
        Assert.DoesNotContain(host.LogLines, l => l.Contains(FakeBotFramework.AppPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_token_is_never_sent_to_a_serviceUrl_host_off_the_allow_list()
    {
        using var host = new TeamsTestHost(_fake, new Dictionary<string, string?> { ["TrustedServiceUrlHosts"] = "" });
        await host.StartAsync();
        var channel = host.Services.GetRequiredService<TeamsChatChannel>();

        var error = await Assert.ThrowsAsync<ConnectorCallException>(() =>
            channel.PostAsync(Dm(Alice), new ChatMessage("hello"), CancellationToken.None));

        Assert.Equal("UntrustedServiceUrl", error.ErrorCode);
        Assert.Empty(_fake.Calls);
        Assert.Contains(host.LogLines, l => l.Contains("refused to send the bot token to untrusted serviceUrl host 127.0.0.1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/teams/", true)]
    [InlineData("https://smba.trafficmanager.net/emea/", true)]
    [InlineData("https://SMBA.trafficmanager.net/amer/", true)]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/teams", true)]
    [InlineData("https://smba.infra.gov.teams.microsoft.us/teams", true)]
    [InlineData("https://smba.infra.dod.teams.microsoft.us/teams", true)]
    [InlineData("https://evil.trafficmanager.net/teams/", false)]
    [InlineData("https://smba.evil.trafficmanager.net/teams/", false)]
    [InlineData("https://trafficmanager.net/teams/", false)]
    [InlineData("https://europe.webchat.botframework.com/", false)]
    [InlineData("https://evil.botframework.com/", false)]
    [InlineData("https://anything.azurewebsites.net/", false)]
    [InlineData("http://smba.trafficmanager.net/teams/", false)]
    [InlineData("https://smba.trafficmanager.net:8443/teams/", false)]
    [InlineData("https://user@smba.trafficmanager.net/teams/", false)]
    [InlineData("https://smba.trafficmanager.net.evil.example/teams/", false)]
    [InlineData("https://evilbotframework.com/", false)]
    [InlineData("https://127.0.0.1/", false)]
    public void The_allow_list_holds_the_documented_Teams_hosts_exactly_never_a_parent_domain(string serviceUrl, bool trusted)
    {
        var policy = new TrustedServiceUrls(Microsoft.Extensions.Options.Options.Create(new TeamsOptions()));
        Assert.Equal(trusted, policy.IsTrusted(new Uri(serviceUrl)));
    }

    [Fact]
    public async Task A_blocked_bot_becomes_a_clear_error_and_log_line()
    {
        using var host = new TeamsTestHost(_fake);
        await host.StartAsync();
        var channel = host.Services.GetRequiredService<TeamsChatChannel>();
        _fake.FailSendsTo(Alice.PersonalConversationId, 403, "MessageWritesBlocked");

        var error = await Assert.ThrowsAsync<ChatDeliveryException>(() =>
            channel.PostAsync(Dm(Alice), new ChatMessage("your result"), CancellationToken.None));

        Assert.True(error.Permanent);
        var connector = Assert.IsType<ConnectorCallException>(error.InnerException);
        Assert.True(connector.IsBlockedByUser);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, connector.StatusCode);
        Assert.Contains("MessageWritesBlocked", error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.ConnectorCalls); // permanent: not retried
        Assert.Contains(host.LogLines, l => l.StartsWith("Warning", StringComparison.Ordinal)
            && l.Contains("403 MessageWritesBlocked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opening_a_direct_chat_creates_the_conversation_with_bot_member_and_tenant()
    {
        Alice.AddTo(_fake);
        using var host = new TeamsTestHost(_fake);
        _ = host.Services;
        // Alice talks to the bot once, so her 29: id and tenant are known for her Entra id.
        using (await host.SendSignedAsync(TeamsActivities.PersonalMessage(Alice, "hello", host.ServiceUrl), AddKey()))
        {
        }

        var channel = host.Services.GetRequiredService<TeamsChatChannel>();
        var direct = await channel.OpenDirectAsync(new ChatUser(Alice.AadObjectId, Alice.Name, Alice.Email), CancellationToken.None);

        var create = Assert.Single(_fake.ConnectorCalls, c => c.Method == "POST" && c.Path == "/v3/conversations");
        Assert.Equal("28:" + FakeBotFramework.AppId, create.Json["bot"]!["id"]!.GetValue<string>());
        Assert.Equal(Alice.MemberId, create.Json["members"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(FakeBotFramework.TenantId, create.Json["tenantId"]!.GetValue<string>());
        Assert.Equal(FakeBotFramework.TenantId, create.Json["channelData"]!["tenant"]!["id"]!.GetValue<string>());
        Assert.False(create.Json["isGroup"]!.GetValue<bool>());
        Assert.Equal("a:1on1-" + Alice.MemberId, direct.ConversationId);
        Assert.False(direct.IsGroup);
    }

    [Theory]
    [InlineData("email", "alice@example.com")]
    [InlineData("userPrincipalName", "alice.upn@example.com")]
    public async Task The_member_attribute_used_as_the_Okta_login_is_configurable(string attribute, string expected)
    {
        _fake.AddMember(Alice.MemberId, Alice.Name, Alice.AadObjectId, Alice.Email, "alice.upn@example.com");
        using var host = new TeamsTestHost(_fake, new Dictionary<string, string?> { ["Teams:UserEmailAttribute"] = attribute });
        _ = host.Services;
        var submit = TeamsActivities.PersonalMessage(Alice, "", host.ServiceUrl);
        submit["value"] = new System.Text.Json.Nodes.JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" };

        using (await host.SendSignedAsync(submit, AddKey()))
        {
        }

        // Alice came from the support team's roster, read at start: no lookup was needed.
        Assert.DoesNotContain(_fake.ConnectorCalls, c => c.Method == "GET");
        var requests = await host.AllRequestsAsync();
        if (attribute == "email")
        {
            Assert.Equal(expected, Assert.Single(requests).Requester.Email);
        }
        else
        {
            // The sandbox has no alice.upn@example.com: the request is refused, which proves the UPN was the login used.
            Assert.Empty(requests);
            var okta = host.Services.GetRequiredService<ChatOpsMfa.Okta.Sandbox.OktaSandbox>();
            Assert.Contains(okta.Requests, r => Uri.UnescapeDataString(r.Path).Contains("alice.upn@example.com", StringComparison.Ordinal));
        }

        Assert.Equal(Alice.MemberId, (await host.Services.GetRequiredService<TeamsDirectory>().MemberByUserAsync(Alice.AadObjectId, CancellationToken.None))?.Id);
    }

    private TestSigningKey AddKey()
    {
        var key = new TestSigningKey("k1", "msteams");
        _fake.BotFrameworkKeys.Add(key);
        return key;
    }
}
