using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Right after a reset approved in Slack: the person's Okta sessions are revoked once, and for the watch window the
/// System Log is read for the 2023 pattern; what it finds is a warning in the request's Slack thread and the audit trail.
/// </summary>
public sealed class SlackContainmentTests
{
    [Fact]
    public async Task An_admin_console_sign_in_by_the_target_after_the_reset_is_an_alert_in_the_slack_thread()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, SlackApprovalRun.StepUp(("Monitoring:PollInterval", "00:00:00.200")));
        var run = await SlackApprovalRun.SubmitAsync(host);
        await run.ApproveAsync("UBOB");
        var push = await run.PushForAsync(OktaSandboxSeed.BobId);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, push.TransactionId));
        await host.WaitForAsync(r => r.Id == run.Request.Id && r.State == RequestState.AwaitingActivation && r.WatchStartedAt is not null, "the reset, watched");

        // Containment: every session and OAuth token of Alice revoked, once, and said in the thread.
        Assert.StartsWith("Every Okta session and OAuth token of alice@example.com was revoked",
            await run.ThreadLineAsync("Every Okta session and OAuth token"), StringComparison.Ordinal);
        Assert.Single(host.Okta.SessionRevocations(OktaSandboxSeed.AliceId));
        Assert.Contains("oauthTokens=true", Assert.Single(host.Okta.Requests, r => r.OperationId == "revokeUserSessions").Query, StringComparison.Ordinal);

        // An ordinary sign-in is no alert; the admin console right after a reset is.
        host.Okta.AddLogEvent(new SandboxLogEntry("user.session.start", OktaSandboxSeed.AliceId, "User login to Okta") { Country = "Germany", City = "Berlin" });
        host.Okta.AddLogEvent(new SandboxLogEntry("user.session.access_admin_app", OktaSandboxSeed.AliceId, "User accessed Okta admin app")
        {
            Country = "Germany",
            City = "Berlin",
        });

        var alert = await run.ThreadLineAsync("\u26a0\ufe0f Security alert:");
        Assert.StartsWith("\u26a0\ufe0f Security alert: alice@example.com opened the Okta Admin Console (user.session.access_admin_app at ", alert, StringComparison.Ordinal);
        Assert.Contains("UTC, from Berlin, Germany), ", alert, StringComparison.Ordinal);
        Assert.EndsWith("min after the reset. If this was not expected, suspend the account in Okta and investigate.", alert, StringComparison.Ordinal);
        Assert.Equal(SlackTestHost.SupportChannel, run.ThreadReplies.Single(r => r.Body["text"]!.GetValue<string>() == alert).Channel);
        await Eventually.WaitUntilAsync(() => run.AuditAsync().Result.Any(a => a.Action == "WatchAlert"), "the audit row");
        Assert.Contains("opened the Okta Admin Console", Assert.Single(await run.AuditAsync(), a => a.Action == "WatchAlert").Detail, StringComparison.Ordinal);
        Assert.Contains(host.Okta.Requests, r => r.OperationId == "listLogEvents" && r.Query.Contains(OktaSandboxSeed.AliceId, StringComparison.Ordinal));

        // The next reads do not raise the same event twice.
        var reads = host.Okta.Requests.Count(r => r.OperationId == "listLogEvents");
        await Eventually.WaitUntilAsync(() => host.Okta.Requests.Count(r => r.OperationId == "listLogEvents") >= reads + 2, "two more reads");
        Assert.Single(run.ThreadLines, l => l.StartsWith("\u26a0\ufe0f Security alert:", StringComparison.Ordinal));
        Assert.Equal(1, (await run.StoredAsync()).WatchAlerts);
    }
}
