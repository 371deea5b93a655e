using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.Time.Testing;
using static ChatOpsMfa.Tests.Okta.OktaSandboxTestKit;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// Approver step-up against the sandbox: verifyFactor sends an Okta Verify push, getFactorTransactionStatus reports
/// WAITING until the simulated device answers (SUCCESS, REJECTED) or the five minutes pass (TIMEOUT). Shapes come from
/// Okta's examples, and every answer is checked against the official response schema.
/// </summary>
public sealed class OktaSandboxPushVerifyTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    private OktaSandbox _sandbox = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await OktaSandbox.StartNewAsync(timeProvider: _time, cancellationToken: Ct);
        _http = Client(_sandbox);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private string BobPush => _sandbox.FactorsOf(OktaSandboxSeed.BobId)!.Single(f => f.FactorType == "push" && f.Status == "ACTIVE").Id;

    [Fact]
    public async Task A_push_verify_answers_201_WAITING_shaped_like_Oktas_example_with_poll_and_cancel_links_on_the_sandbox()
    {
        var example = await ExampleAsync("UserFactorChallengePushResponse");

        using var response = await VerifyAsync(OktaSandboxSeed.BobId, BobPush);
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await AssertMatchesOktaAsync("verifyFactor", response);
        Assert.Equal(Keys(example), Keys(body));
        Assert.Equal(Keys(example["_links"]), Keys(body["_links"]));
        Assert.Equal("WAITING", body["factorResult"]!.GetValue<string>());
        Assert.Equal(_time.GetUtcNow().AddMinutes(5), DateTimeOffset.Parse(body["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        var pending = Assert.Single(_sandbox.PendingPushChallenges);
        var href = $"{_sandbox.BaseUrl!.GetLeftPart(UriPartial.Authority)}/api/v1/users/{OktaSandboxSeed.BobId}/factors/{BobPush}/transactions/{pending.TransactionId}";
        Assert.Equal(href, body["_links"]!["poll"]!["href"]!.GetValue<string>());
        Assert.Equal(href, body["_links"]!["cancel"]!["href"]!.GetValue<string>());
        Assert.Equal(["GET"], body["_links"]!["poll"]!["hints"]!["allow"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["DELETE"], body["_links"]!["cancel"]!["hints"]!["allow"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal((OktaSandboxSeed.BobId, BobPush, _time.GetUtcNow().AddMinutes(5)), (pending.UserId, pending.FactorId, pending.ExpiresAt));
        Assert.Matches("^v2mst\\.[A-Za-z0-9_-]{22}$", pending.TransactionId);
    }

    [Fact]
    public async Task The_transaction_is_WAITING_until_the_device_approves_then_SUCCESS_and_the_System_Log_records_it()
    {
        var poll = await StartPushAsync(OktaSandboxSeed.BobId, BobPush);
        var transactionId = Assert.Single(_sandbox.PendingPushChallenges).TransactionId;

        using var waiting = await _http.GetAsync(poll, Ct);
        var waitingBody = await JsonAsync(waiting);
        var logBefore = await LogEventsAsync("user.authentication.auth_via_mfa");
        var approved = _sandbox.ApprovePushChallenge(OktaSandboxSeed.BobId, transactionId);
        using var success = await _http.GetAsync(poll, Ct);

        await AssertMatchesOktaAsync("getFactorTransactionStatus", waiting);
        Assert.Equal(Keys(await ExampleAsync("UserFactorVerifyPushTransactionWaiting")), Keys(waitingBody));
        Assert.Equal(("WAITING", "bob@example.com"), (waitingBody["factorResult"]!.GetValue<string>(), waitingBody["profile"]!["credentialId"]!.GetValue<string>()));
        Assert.Equal(poll, waitingBody["_links"]!["poll"]!["href"]!.GetValue<string>());
        Assert.Empty(logBefore);
        Assert.True(approved);
        await AssertMatchesOktaAsync("getFactorTransactionStatus", success);
        Assert.Equal((await ExampleAsync("UserFactorVerifyPushTransactionApproved")).ToJsonString(), (await JsonAsync(success)).ToJsonString());
        Assert.Empty(_sandbox.PendingPushChallenges);
        Assert.False(_sandbox.ApprovePushChallenge(OktaSandboxSeed.BobId, transactionId));
        Assert.False(_sandbox.RejectPushChallenge(OktaSandboxSeed.BobId, transactionId));
        var logged = Assert.Single(await LogEventsAsync("user.authentication.auth_via_mfa"));
        Assert.Equal(("SUCCESS", OktaSandboxSeed.BobId), (logged["outcome"]!["result"]!.GetValue<string>(), logged["actor"]!["id"]!.GetValue<string>()));
        Assert.Contains(OktaSandboxSeed.BobId, logged["target"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Contains(BobPush, logged["target"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_push_the_device_rejects_is_REJECTED_like_Oktas_example_and_logged_as_a_failed_MFA()
    {
        var poll = await StartPushAsync(OktaSandboxSeed.BobId, BobPush);
        var transactionId = Assert.Single(_sandbox.PendingPushChallenges).TransactionId;

        var rejected = _sandbox.RejectPushChallenge(OktaSandboxSeed.BobId, transactionId);
        using var response = await _http.GetAsync(poll, Ct);
        var body = await JsonAsync(response);

        Assert.True(rejected);
        await AssertMatchesOktaAsync("getFactorTransactionStatus", response);
        var example = await ExampleAsync("UserFactorVerifyPushTransactionRejected");
        Assert.Equal(Keys(example), Keys(body));
        Assert.Equal(Keys(example["_links"]), Keys(body["_links"]));
        Assert.Equal("REJECTED", body["factorResult"]!.GetValue<string>());
        var factorHref = $"{_sandbox.BaseUrl!.GetLeftPart(UriPartial.Authority)}/api/v1/users/{OktaSandboxSeed.BobId}/factors/{BobPush}";
        Assert.Equal(factorHref + "/verify", body["_links"]!["verify"]!["href"]!.GetValue<string>());
        Assert.Equal(factorHref, body["_links"]!["factor"]!["href"]!.GetValue<string>());
        Assert.False(_sandbox.ApprovePushChallenge(OktaSandboxSeed.BobId, transactionId));
        var logged = Assert.Single(await LogEventsAsync("user.authentication.auth_via_mfa"));
        Assert.Equal("FAILURE", logged["outcome"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unanswered_push_is_TIMEOUT_once_expiresAt_passes_and_the_device_can_no_longer_answer_it()
    {
        var poll = await StartPushAsync(OktaSandboxSeed.ErinId, ErinPush());
        var transactionId = Assert.Single(_sandbox.PendingPushChallenges).TransactionId;

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        using var stillWaiting = await _http.GetAsync(poll, Ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        using var timedOut = await _http.GetAsync(poll, Ct);
        var body = await JsonAsync(timedOut);

        Assert.Equal("WAITING", (await JsonAsync(stillWaiting))["factorResult"]!.GetValue<string>());
        await AssertMatchesOktaAsync("getFactorTransactionStatus", timedOut);
        Assert.Equal(Keys(await ExampleAsync("UserFactorVerifyPushTransactionTimeout")), Keys(body));
        Assert.Equal("TIMEOUT", body["factorResult"]!.GetValue<string>());
        Assert.Empty(_sandbox.PendingPushChallenges);
        Assert.False(_sandbox.ApprovePushChallenge(OktaSandboxSeed.ErinId, transactionId));
        Assert.Equal("TIMEOUT", (await JsonAsync(await _http.GetAsync(poll, Ct)))["factorResult"]!.GetValue<string>());
        Assert.Empty(await LogEventsAsync("user.authentication.auth_via_mfa"));
    }

    [Fact]
    public async Task A_push_verify_without_a_User_Agent_is_refused_400_as_Oktas_description_requires_one()
    {
        using var anonymous = Client(_sandbox, withUserAgent: false);

        using var response = await anonymous.PostAsync($"api/v1/users/{OktaSandboxSeed.BobId}/factors/{BobPush}/verify", null, Ct);
        var body = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertMatchesOktaAsync("verifyFactor", response);
        Assert.Equal("E0000001", body["errorCode"]!.GetValue<string>());
        Assert.Contains("User-Agent", body["errorCauses"]![0]!["errorSummary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_sandbox.PendingPushChallenges);
    }

    [Theory]
    [InlineData("00u000000000000NOPE", "bob-factor")]
    [InlineData(OktaSandboxSeed.BobId, "opf00000000000000000")]
    [InlineData(OktaSandboxSeed.AliceId, "bob-factor")]
    public async Task A_push_verify_for_an_unknown_user_or_a_factor_that_is_not_theirs_is_404_E0000007(string userId, string factorId)
    {
        using var response = await VerifyAsync(userId, factorId == "bob-factor" ? BobPush : factorId);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertMatchesOktaAsync("verifyFactor", response);
        Assert.Equal("E0000007", (await JsonAsync(response))["errorCode"]!.GetValue<string>());
        Assert.Empty(_sandbox.PendingPushChallenges);
    }

    [Fact]
    public async Task Verifying_a_factor_that_is_not_an_active_push_is_refused_400_E0000001_with_the_reason()
    {
        var aliceTotp = _sandbox.FactorsOf(OktaSandboxSeed.AliceId)!.Single(f => f.FactorType == "token:software:totp").Id;
        using var enrol = await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.DaveId}/factors", JsonContent("""{"factorType":"push","provider":"OKTA"}"""), Ct);
        var pendingPush = (await JsonAsync(enrol))["id"]!.GetValue<string>();

        using var totp = await VerifyAsync(OktaSandboxSeed.AliceId, aliceTotp);
        using var notActive = await VerifyAsync(OktaSandboxSeed.DaveId, pendingPush);

        foreach (var (response, cause) in new[] { (totp, "push factors only"), (notActive, "PENDING_ACTIVATION") })
        {
            var body = await JsonAsync(response);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await AssertMatchesOktaAsync("verifyFactor", response);
            Assert.Equal("E0000001", body["errorCode"]!.GetValue<string>());
            Assert.Contains(cause, body["errorCauses"]![0]!["errorSummary"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Empty(_sandbox.PendingPushChallenges);
    }

    [Theory]
    [InlineData("SUSPENDED", 403, "E0000038")]
    [InlineData("DEPROVISIONED", 403, "E0000038")]
    [InlineData("LOCKED_OUT", 403, "E0000069")]
    public async Task A_user_who_cannot_sign_in_gets_no_push(string status, int expectedStatus, string errorCode)
    {
        var userId = _sandbox.AddUser("frank@example.com", "Frank", "Locked", status);
        using var enrol = await _http.PostAsync($"api/v1/users/{userId}/factors", JsonContent("""{"factorType":"push","provider":"OKTA"}"""), Ct);
        var factorId = (await JsonAsync(enrol))["id"]!.GetValue<string>();
        Assert.True(_sandbox.ApprovePushActivation(userId, factorId));

        using var response = await VerifyAsync(userId, factorId);

        Assert.Equal(expectedStatus, (int)response.StatusCode);
        await AssertMatchesOktaAsync("verifyFactor", response);
        Assert.Equal(errorCode, (await JsonAsync(response))["errorCode"]!.GetValue<string>());
        Assert.Empty(_sandbox.PendingPushChallenges);
    }

    [Theory]
    [InlineData("""{"useNumberMatchingChallenge":true}""", "E0000001")]
    [InlineData("""{"passCode":"123456"}""", "E0000001")]
    [InlineData("""[1]""", "E0000001")]
    [InlineData("""{"factorType":""", "E0000003")]
    public async Task A_push_verify_with_a_body_the_sandbox_does_not_simulate_is_refused_not_ignored(string body, string errorCode)
    {
        using var response = await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.BobId}/factors/{BobPush}/verify", JsonContent(body), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertMatchesOktaAsync("verifyFactor", response);
        Assert.Equal(errorCode, (await JsonAsync(response))["errorCode"]!.GetValue<string>());
        Assert.Empty(_sandbox.PendingPushChallenges);
    }

    [Fact]
    public async Task An_empty_object_body_is_a_standard_push_like_no_body()
    {
        using var response = await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.BobId}/factors/{BobPush}/verify", JsonContent("{}"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Single(_sandbox.PendingPushChallenges);
    }

    /// <summary>The attack: read or answer someone else's push by naming their transaction under another user or factor.</summary>
    [Fact]
    public async Task A_transaction_is_only_found_under_its_own_user_and_factor_and_only_that_user_can_answer_it()
    {
        await StartPushAsync(OktaSandboxSeed.BobId, BobPush);
        var transactionId = Assert.Single(_sandbox.PendingPushChallenges).TransactionId;
        var erinPush = ErinPush();

        using var otherUser = await _http.GetAsync($"api/v1/users/{OktaSandboxSeed.ErinId}/factors/{erinPush}/transactions/{transactionId}", Ct);
        using var unknown = await _http.GetAsync($"api/v1/users/{OktaSandboxSeed.BobId}/factors/{BobPush}/transactions/v2mst.AAAAAAAAAAAAAAAAAAAAAA", Ct);
        var answeredAsErin = _sandbox.ApprovePushChallenge(OktaSandboxSeed.ErinId, transactionId);

        foreach (var response in new[] { otherUser, unknown })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            await AssertMatchesOktaAsync("getFactorTransactionStatus", response);
            Assert.Equal("E0000191", (await JsonAsync(response))["errorCode"]!.GetValue<string>());
        }

        Assert.False(answeredAsErin);
        Assert.Single(_sandbox.PendingPushChallenges);
    }

    [Fact]
    public async Task A_reset_between_push_and_answer_voids_the_push()
    {
        var poll = await StartPushAsync(OktaSandboxSeed.BobId, BobPush);
        var transactionId = Assert.Single(_sandbox.PendingPushChallenges).TransactionId;

        await _http.PostAsync($"api/v1/users/{OktaSandboxSeed.BobId}/lifecycle/reset_factors", null, Ct);
        var approved = _sandbox.ApprovePushChallenge(OktaSandboxSeed.BobId, transactionId);
        using var response = await _http.GetAsync(poll, Ct);

        Assert.False(approved);
        Assert.Empty(_sandbox.PendingPushChallenges);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await LogEventsAsync("user.authentication.auth_via_mfa"));
    }

    [Fact]
    public async Task Two_pushes_are_two_transactions_answered_separately()
    {
        var first = await StartPushAsync(OktaSandboxSeed.BobId, BobPush);
        var second = await StartPushAsync(OktaSandboxSeed.ErinId, ErinPush());
        var pending = _sandbox.PendingPushChallenges;

        Assert.Equal(2, pending.Count);
        Assert.True(_sandbox.RejectPushChallenge(OktaSandboxSeed.ErinId, pending.Single(p => p.UserId == OktaSandboxSeed.ErinId).TransactionId));
        Assert.Equal("WAITING", (await JsonAsync(await _http.GetAsync(first, Ct)))["factorResult"]!.GetValue<string>());
        Assert.Equal("REJECTED", (await JsonAsync(await _http.GetAsync(second, Ct)))["factorResult"]!.GetValue<string>());
    }

    [Fact]
    public async Task Push_verify_and_poll_requests_match_the_official_description()
    {
        var poll = await StartPushAsync(OktaSandboxSeed.BobId, BobPush);
        await _http.GetAsync(poll, Ct);

        Assert.Equal(["verifyFactor", "getFactorTransactionStatus"], _sandbox.Requests.Select(r => r.OperationId));
        Assert.Equal(UserAgent, _sandbox.Requests[0].Header("User-Agent"));
        await AssertRequestsMatchOktaAsync(_sandbox);
    }

    private string ErinPush() => _sandbox.FactorsOf(OktaSandboxSeed.ErinId)!.Single(f => f.FactorType == "push" && f.Status == "ACTIVE").Id;

    private Task<HttpResponseMessage> VerifyAsync(string userId, string factorId) =>
        _http.PostAsync($"api/v1/users/{userId}/factors/{factorId}/verify", null, Ct);

    /// <summary>Sends the push and returns the poll link, as the bot follows it.</summary>
    private async Task<string> StartPushAsync(string userId, string factorId)
    {
        using var response = await VerifyAsync(userId, factorId);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonAsync(response))["_links"]!["poll"]!["href"]!.GetValue<string>();
    }

    private async Task<List<JsonNode>> LogEventsAsync(string eventType)
    {
        using var response = await _http.GetAsync($"api/v1/logs?filter={Uri.EscapeDataString($"eventType eq \"{eventType}\"")}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await JsonAsync(response)).AsArray().Select(e => e!)];
    }
}
