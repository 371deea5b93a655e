using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.IdentityModel.Tokens;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>POST /api/messages: every token check of the Bot Framework protocol, with signed test tokens.</summary>
public sealed class TeamsAuthenticationTests : IAsyncLifetime
{
    private const string Endorsed = "endorsed-key";
    private const string SkypeOnly = "skype-only-key";

    private FakeBotFramework _fake = null!;
    private TestSigningKey _forger = null!;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        _fake.BotFrameworkKeys.Add(new TestSigningKey(Endorsed, "msteams", "skype"));
        _fake.BotFrameworkKeys.Add(new TestSigningKey(SkypeOnly, "skype"));
        _forger = new TestSigningKey(Endorsed, "msteams"); // same kid, different private key
    }

    public async ValueTask DisposeAsync()
    {
        _forger.Dispose();
        await _fake.DisposeAsync();
    }

    public static TheoryData<string, int, string> Refusals => new()
    {
        { "forged signature", 401, "InvalidSignature" },
        { "wrong audience", 401, "InvalidAudience" },
        { "wrong issuer", 401, "issuer is not trusted" },
        { "expired", 401, "InvalidLifetime" },
        { "unendorsed channel", 403, "not endorsed for channel 'msteams'" },
        { "serviceUrl mismatch", 403, "serviceurl claim does not match" },
        { "alg none", 401, "algorithm 'none'" },
        { "HS256", 401, "algorithm 'HS256'" },
        { "missing header", 401, "no Bearer token" },
        { "not bearer", 401, "no Bearer token" },
        { "unknown kid", 401, "not published" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_token_is_refused_and_nothing_is_processed(string problem, int expectedStatus, string reason)
    {
        using var host = new TeamsTestHost(_fake);
        _ = host.Services;
        var serviceUrl = host.ServiceUrl;
        var endorsed = _fake.BotFrameworkKeys[0];
        string? authorization = problem switch
        {
            "forged signature" => Bearer(BotTokens.Create(_forger, serviceUrl)),
            "wrong audience" => Bearer(BotTokens.Create(endorsed, serviceUrl, audience: "11111111-2222-3333-4444-555555555555")),
            "wrong issuer" => Bearer(BotTokens.Create(endorsed, serviceUrl, issuer: "https://api.botframework.evil")),
            "expired" => Bearer(BotTokens.Create(endorsed, serviceUrl, expires: DateTime.UtcNow.AddMinutes(-6))),
            "unendorsed channel" => Bearer(BotTokens.Create(_fake.BotFrameworkKeys[1], serviceUrl)),
            "serviceUrl mismatch" => Bearer(BotTokens.Create(endorsed, "https://smba.trafficmanager.net/emea/")),
            "alg none" => Bearer(BotTokens.CreateUnsigned(Endorsed, serviceUrl)),
            "HS256" => Bearer(BotTokens.CreateHs256(serviceUrl)),
            "missing header" => null,
            "not bearer" => "Basic " + Convert.ToBase64String("app:secret"u8.ToArray()),
            "unknown kid" => Bearer(BotTokens.Create(new TestSigningKey("never-published", "msteams"), serviceUrl)),
            _ => throw new ArgumentOutOfRangeException(nameof(problem)),
        };

        using var response = await host.PostAsync(TeamsActivities.PersonalMessage(Alice, "/mfa-reset", serviceUrl), authorization);

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        Assert.Empty(await host.AllRequestsAsync());
        Assert.Empty(_fake.ConnectorCalls);
        Assert.Equal(0, _fake.TokenRequests);
        Assert.Contains(host.LogLines, l => l.Contains("Refused a request to /api/messages with " + expectedStatus, StringComparison.Ordinal)
            && l.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_expired_within_the_five_minute_skew_is_accepted()
    {
        using var host = new TeamsTestHost(_fake);
        var activity = TeamsActivities.PersonalMessage(Alice, "hello", host.ServiceUrl);
        using var response = await host.PostAsync(activity,
            Bearer(BotTokens.Create(_fake.BotFrameworkKeys[0], host.ServiceUrl, expires: DateTime.UtcNow.AddMinutes(-4))));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(_fake.ConnectorCalls, c => c.Method == "POST" && c.Path.EndsWith("/activities", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.RsaSha384)]
    [InlineData(SecurityAlgorithms.RsaSha512)]
    public async Task A_valid_token_is_accepted_and_the_activity_reaches_the_bot(string algorithm)
    {
        Alice.AddTo(_fake);
        using var host = new TeamsTestHost(_fake);
        var activity = TeamsActivities.PersonalMessage(Alice, "/mfa-reset", host.ServiceUrl);
        using var response = await host.PostAsync(activity,
            Bearer(BotTokens.Create(_fake.BotFrameworkKeys[0], host.ServiceUrl, algorithm: algorithm)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var form = Assert.Single(_fake.ConnectorCalls, c => c.Method == "POST" && c.Path.EndsWith("/activities", StringComparison.Ordinal));
        Assert.Equal($"/v3/conversations/{Alice.PersonalConversationId}/activities", form.Path);
        Assert.Equal("Bearer " + FakeBotFramework.AccessToken, form.Authorization);
        Assert.Equal("application/vnd.microsoft.card.adaptive", form.Json["attachments"]![0]!["contentType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Single_tenant_bots_accept_tokens_from_their_own_tenant_and_fetch_tokens_there()
    {
        Alice.AddTo(_fake);
        using var tenantKey = new TestSigningKey("tenant-key");
        _fake.TenantKeys.Add(tenantKey);
        using var host = new TeamsTestHost(_fake, new Dictionary<string, string?>
        {
            ["MicrosoftAppType"] = "SingleTenant",
            ["MicrosoftAppTenantId"] = FakeBotFramework.TenantId,
        });
        var activity = TeamsActivities.PersonalMessage(Alice, "hello", host.ServiceUrl);
        var token = BotTokens.Create(tenantKey, host.ServiceUrl, issuer: $"{_fake.BaseUrl}/{FakeBotFramework.TenantId}/v2.0");

        using var response = await host.PostAsync(activity, Bearer(token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _fake.TenantMetadataFetches);
        Assert.Contains(_fake.Calls, c => c.Path == $"/{FakeBotFramework.TenantId}/oauth2/v2.0/token");
        Assert.DoesNotContain(_fake.Calls, c => c.Path == "/botframework.com/oauth2/v2.0/token");
    }

    [Fact]
    public async Task A_tenant_token_is_refused_when_the_bot_is_multi_tenant()
    {
        using var tenantKey = new TestSigningKey("tenant-key");
        _fake.TenantKeys.Add(tenantKey);
        using var host = new TeamsTestHost(_fake);
        var token = BotTokens.Create(tenantKey, host.ServiceUrl, issuer: $"{_fake.BaseUrl}/{FakeBotFramework.TenantId}/v2.0");

        using var response = await host.PostAsync(TeamsActivities.PersonalMessage(Alice, "/mfa-reset", host.ServiceUrl), Bearer(token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_fake.ConnectorCalls);
    }

    [Fact]
    public async Task Unhandled_invokes_get_501_and_malformed_card_actions_get_400_as_from_the_SDK()
    {
        Alice.AddTo(_fake);
        using var host = new TeamsTestHost(_fake);
        var key = _fake.BotFrameworkKeys[0];
        var other = TeamsActivities.PersonalMessage(Alice, "x", host.ServiceUrl);
        other["type"] = "invoke";
        other["name"] = "composeExtension/query";
        using var unhandled = await host.SendSignedAsync(other, key);
        Assert.Equal(HttpStatusCode.NotImplemented, unhandled.StatusCode);

        var missingValue = TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "approve", new JsonObject(), host.ServiceUrl);
        missingValue.Remove("value");
        using var bad = await host.SendSignedAsync(missingValue, key);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var body = JsonNode.Parse(await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("application/vnd.microsoft.error", body["type"]!.GetValue<string>());
        Assert.Equal("BadRequest", body["value"]!["code"]!.GetValue<string>());
        Assert.Empty(await host.AllRequestsAsync());
    }

    private static string Bearer(string token) => "Bearer " + token;
}
