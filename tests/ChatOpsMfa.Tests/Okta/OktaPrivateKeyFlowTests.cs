using System.Text.Json.Nodes;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Flow;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// Issue 12 point 4, end to end: the whole bot (request, approver step-up, reset, enrolment, session revocation,
/// activation, the watch window) against the sandbox as an org that only takes DPoP-bound OAuth tokens.
/// </summary>
public sealed class OktaPrivateKeyFlowTests
{
    private static Dictionary<string, string?> Settings(OktaPrivateKeyKit kit)
    {
        var settings = kit.HostSettings();
        settings["Approvals:ApproverVerification"] = "OktaVerifyPush";
        settings["Approvals:VerificationPollInterval"] = "00:00:00.100";
        settings["Monitoring:PollInterval"] = "00:00:00.200";
        return settings;
    }

    [Fact]
    public async Task The_whole_recovery_works_with_one_DPoP_bound_token_and_no_request_ever_carries_an_api_token()
    {
        using var kit = new OktaPrivateKeyKit();
        using var host = new FlowHost(Settings(kit));
        _ = host.Services;

        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" });
        var request = await host.OnlyRequestAsync();
        await host.ClickAsync(Bob, "approve", request.Id);
        PendingPushChallenge? challenge = null;
        await Eventually.WaitUntilAsync(() => (challenge = host.Okta.PendingPushChallenges.SingleOrDefault(c => c.UserId == OktaSandboxSeed.BobId)) is not null,
            "the Okta Verify push to the approver");
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, challenge!.TransactionId));
        var done = await host.ActivateAsync(Alice, request.Id);
        await Eventually.WaitUntilAsync(() => host.Okta.Requests.Any(r => r.OperationId == "listLogEvents"), "the watch window's first read");

        Assert.Equal(RequestState.Completed, done.State);
        Assert.Equal("ACTIVE", Assert.Single(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!).Status);
        var calls = host.Okta.Requests.Where(r => r.OperationId != OktaSandbox.TokenOperation).ToList();
        string[] operations = ["listUsers", "getUser", "listFactors", "listAssignedRolesForUser", "verifyFactor", "getFactorTransactionStatus",
            "resetFactors", "enrollFactor", "revokeUserSessions", "activateFactor", "listLogEvents"];
        foreach (var operation in operations.Where(o => o != "listUsers"))
        {
            Assert.Contains(calls, r => r.OperationId == operation);
        }

        // Every API call was answered (none refused for its token, proof or scope), and carried DPoP, never SSWS.
        Assert.All(calls, r =>
        {
            Assert.StartsWith("DPoP ", r.Header("Authorization"), StringComparison.Ordinal);
            Assert.NotNull(r.Header("DPoP"));
        });
        Assert.DoesNotContain(host.Okta.Requests, r => r.Headers.Values.Any(v =>
            v.Contains("SSWS", StringComparison.OrdinalIgnoreCase) || v.Contains(OktaSandboxOptions.DefaultToken, StringComparison.Ordinal) ||
            v.Contains(OktaEndpoint.NoApiToken, StringComparison.Ordinal)));
        Assert.Equal(1, host.Okta.AccessTokensIssued);
        Assert.Single(calls.Select(r => r.Header("Authorization")).Distinct());
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "SessionsRevoked");
        Assert.DoesNotContain(audit, a => a.Action is "Failed" or "SessionRevocationFailed");

        // Neither the private key, nor the access token, nor a client assertion is in any log line.
        var logs = host.Logs.AllText;
        Assert.All(kit.PrivateMembers, member => Assert.DoesNotContain(member, logs, StringComparison.Ordinal));
        Assert.DoesNotContain(calls[0].Header("Authorization")!["DPoP ".Length..], logs, StringComparison.Ordinal);
        foreach (var tokenRequest in host.Okta.Requests.Where(r => r.OperationId == OktaSandbox.TokenOperation))
        {
            Assert.DoesNotContain(OktaPrivateKeyKit.Form(tokenRequest)["client_assertion"], logs, StringComparison.Ordinal);
        }

        Assert.Contains("Okta access token obtained", logs, StringComparison.Ordinal);
    }
}
