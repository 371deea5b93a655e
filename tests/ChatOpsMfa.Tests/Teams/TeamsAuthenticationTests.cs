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

    /// <summary>
    /// The review's attack: any app registration in the bot's own tenant can get an app-only token whose audience is
    /// the bot's app id. Signed by the tenant, but not the Bot Framework, no endorsement and no serviceurl claim: it
    /// forged an Approve "by Bob" that reset Alice's factors. Refused now, and nothing at all follows from it.
    /// </summary>
    [Fact]
    public async Task A_token_the_bots_own_tenant_issued_to_another_app_cannot_approve_a_reset()
    {
        Alice.AddTo(_fake);
        Bob.AddTo(_fake);
        using var tenantKey = new TestSigningKey("tenant-key");
        _fake.TenantKeys.Add(tenantKey);
        _fake.SingleTenantApp = true;
        using var host = new TeamsTestHost(_fake, SingleTenant);
        var request = await TeamsScenario.PendingRequestAsync(host);
        var forged = BotTokens.Create(tenantKey, host.ServiceUrl, issuer: $"{_fake.BaseUrl}/{FakeBotFramework.TenantId}/v2.0",
            appId: OtherAppInTheTenant, tenantId: FakeBotFramework.TenantId, withServiceUrl: false);

        using var response = await host.PostAsync(TeamsScenario.Approve(Bob, request, host.ServiceUrl), Bearer(forged));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await TeamsScenario.AssertNothingHappenedAsync(host, request);
        Assert.Equal(0, _fake.TenantMetadataFetches);
        Assert.Contains(host.LogLines, l => l.Contains("issued by an Entra tenant, not the Bot Framework", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tenant_token_is_accepted_only_from_an_allowed_caller_with_the_bots_tid()
    {
        Alice.AddTo(_fake);
        Bob.AddTo(_fake);
        using var tenantKey = new TestSigningKey("tenant-key");
        _fake.TenantKeys.Add(tenantKey);
        using var host = new TeamsTestHost(_fake, new Dictionary<string, string?>(SingleTenant) { ["Teams:AllowedCallers"] = AllowedCaller });
        var request = await TeamsScenario.PendingRequestAsync(host);
        var issuer = $"{_fake.BaseUrl}/{FakeBotFramework.TenantId}/v2.0";

        foreach (var (caller, tid) in new[] { (OtherAppInTheTenant, FakeBotFramework.TenantId), (AllowedCaller, OtherTenant) })
        {
            var token = BotTokens.Create(tenantKey, host.ServiceUrl, issuer: issuer, appId: caller, tenantId: tid);
            using var refused = await host.PostAsync(TeamsScenario.Approve(Bob, request, host.ServiceUrl), Bearer(token));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await TeamsScenario.AssertNothingHappenedAsync(host, request);
        var allowed = BotTokens.Create(tenantKey, host.ServiceUrl, issuer: issuer, appId: AllowedCaller, tenantId: FakeBotFramework.TenantId);
        using var accepted = await host.PostAsync(TeamsActivities.PersonalMessage(Alice, "hello", host.ServiceUrl), Bearer(allowed));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Single_tenant_bots_fetch_their_Connector_token_from_their_own_tenant()
    {
        Alice.AddTo(_fake);
        _fake.SingleTenantApp = true; // the botframework.com tenant answers AADSTS700016, as Entra does
        using var host = new TeamsTestHost(_fake, SingleTenant);
        await host.StartAsync();

        using var response = await host.SendSignedAsync(TeamsActivities.PersonalMessage(Alice, "hello", host.ServiceUrl), _fake.BotFrameworkKeys[0]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(_fake.ConnectorCalls, c => c.Method == "POST" && c.Path == $"/v3/conversations/{Alice.PersonalConversationId}/activities");
        Assert.DoesNotContain(_fake.Calls, c => c.Path == "/botframework.com/oauth2/v2.0/token");
        Assert.Equal(0, _fake.TenantMetadataFetches);
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

    private const string OtherAppInTheTenant = "0e5b1a3c-7d2f-4c8e-9a61-5f4d3c2b1a09";
    private const string AllowedCaller = "3c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f";
    private const string OtherTenant = "0b0b0b0b-1111-4222-8333-444455556666";

    private static readonly Dictionary<string, string?> SingleTenant = new()
    {
        ["MicrosoftAppType"] = "SingleTenant",
        ["MicrosoftAppTenantId"] = FakeBotFramework.TenantId,
    };

    private static string Bearer(string token) => "Bearer " + token;
}
