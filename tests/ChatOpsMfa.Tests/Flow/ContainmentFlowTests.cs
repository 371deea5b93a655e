using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>
/// Issue 11, points 3, 4, 6 and 7: sessions revoked right after the reset, the System Log watched for the 2023
/// pattern, risk facts from the System Log on the approval card, and one reminder that never decides anything.
/// </summary>
public class ContainmentFlowTests : FlowTestsOnEitherStore
{
    private static readonly Dictionary<string, string?> FastWatch = new() { ["Monitoring:PollInterval"] = "00:00:00.200" };

    private static async Task<ResetRequest> AskAsync(FlowHost host, ChatUser who)
    {
        await host.SubmitAsync(who, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" });
        return Assert.Single(await host.AllRequestsAsync(), r => r.Requester.Id == who.Id);
    }

    private static Task<IReadOnlyList<ChatOpsMfa.Storage.AuditEntry>> AuditAsync(FlowHost host, string requestId) =>
        host.Store.AuditTrailAsync(requestId, CancellationToken.None);

    [Fact]
    public async Task Right_after_the_reset_the_persons_sessions_and_oauth_tokens_are_revoked_once_and_recorded()
    {
        using var host = NewHost();
        var request = await AskAsync(host, Alice);
        host.Okta.ClearRequests();

        await host.ClickAsync(Bob, "approve", request.Id);
        var enrolled = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        Assert.Equal(["resetFactors", "revokeUserSessions", "enrollFactor"],
            host.Okta.Requests.Where(r => r.OperationId is "resetFactors" or "revokeUserSessions" or "enrollFactor").Select(r => r.OperationId));
        Assert.True(Assert.Single(host.Okta.SessionRevocations(OktaSandboxSeed.AliceId)).OAuthTokens);
        Assert.NotNull(enrolled.SessionsRevokedAt);
        Assert.Single(await AuditAsync(host, request.Id), a => a.Action == "SessionsRevoked");
        Assert.Contains("all Okta sessions and OAuth tokens revoked", RequestPresenter.ApprovalMessage(enrolled).Card!.Data.ToJsonString());
    }

    [Fact]
    public async Task A_failed_revocation_is_said_loudly_and_the_recovery_goes_on()
    {
        using var host = NewHost();
        var request = await AskAsync(host, Alice);
        host.Okta.FailNext(403, "E0000006", "You do not have permission to perform the requested action", operationId: "revokeUserSessions");

        await host.ClickAsync(Bob, "approve", request.Id);
        var enrolled = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        Assert.Null(enrolled.SessionsRevokedAt);
        Assert.NotNull(enrolled.SessionRevocationProblem);
        Assert.Single(await AuditAsync(host, request.Id), a => a.Action == "SessionRevocationFailed");
        await host.OutboxSettledAsync();
        Assert.Contains(host.Chat.In("support"), m => m.Message.Text.StartsWith("\u26a0\ufe0f Revoking alice@example.com's Okta sessions failed", StringComparison.Ordinal));
        Assert.Empty(host.Okta.SessionRevocations(OktaSandboxSeed.AliceId));
    }

    [Fact]
    public async Task With_revocation_turned_off_no_session_is_touched()
    {
        using var host = NewHost(new Dictionary<string, string?> { ["Okta:RevokeSessionsOnReset"] = "false" });
        var request = await AskAsync(host, Alice);

        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "revokeUserSessions");
    }

    [Fact]
    public async Task Admin_console_access_by_the_reset_person_in_the_watch_window_raises_an_alert_in_the_thread_and_the_audit()
    {
        using var host = NewHost(FastWatch);
        var request = await AskAsync(host, Alice);
        await host.ClickAsync(Bob, "approve", request.Id);
        var enrolled = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        Assert.NotNull(enrolled.WatchUntil);

        host.Okta.AddLogEvent(new SandboxLogEntry("user.session.access_admin_app", OktaSandboxSeed.AliceId, "User accessed Okta admin app")
        {
            Country = "Germany", City = "Berlin",
        });

        await Eventually.WaitUntilAsync(async () => (await AuditAsync(host, request.Id)).Any(a => a.Action == "WatchAlert"), "the watch alert");
        await host.OutboxSettledAsync();
        var alert = Assert.Single(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply && m.Message.Text.StartsWith("\u26a0\ufe0f Security alert", StringComparison.Ordinal));
        Assert.Contains("alice@example.com opened the Okta Admin Console (user.session.access_admin_app at", alert.Message.Text);
        Assert.Contains("from Berlin, Germany", alert.Message.Text);
        Assert.Equal(alert.ThreadId, host.Chat.In("support").First(m => m.Message.Card?.Template == "approval").MessageId);
        Assert.Contains("SECURITY: System Log event of the post-reset pattern", host.Logs.AllText, StringComparison.Ordinal);

        // Read again and again, the same event is one alert.
        await Task.Delay(600, TestContext.Current.CancellationToken);
        Assert.Single(await AuditAsync(host, request.Id), a => a.Action == "WatchAlert");
    }

    [Theory]
    [InlineData("user.account.privilege.grant", "granted admin privileges")]
    [InlineData("system.idp.lifecycle.create", "created or changed an identity provider")]
    [InlineData("policy.lifecycle.update", "changed a sign-on or authentication policy")]
    [InlineData("user.mfa.factor.deactivate", "changed MFA factors again")]
    public async Task Each_step_of_the_2023_pattern_raises_an_alert(string eventType, string words)
    {
        using var host = NewHost(FastWatch);
        var request = await AskAsync(host, Alice);
        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        host.Okta.AddLogEvent(new SandboxLogEntry(eventType, OktaSandboxSeed.AliceId, eventType));

        await Eventually.WaitUntilAsync(async () => (await AuditAsync(host, request.Id)).Any(a => a.Action == "WatchAlert"), "the watch alert");
        Assert.Contains(words, (await AuditAsync(host, request.Id)).Single(a => a.Action == "WatchAlert").Detail);
    }

    [Fact]
    public async Task The_persons_own_activation_of_the_new_factor_is_no_alert_but_a_factor_change_after_the_recovery_is()
    {
        using var host = NewHost(FastWatch);
        var request = await AskAsync(host, Alice);
        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        // Okta Verify scanned on the person's phone: Okta logs the person as the actor.
        host.Okta.AddLogEvent(new SandboxLogEntry("user.mfa.factor.activate", OktaSandboxSeed.AliceId, "Activate factor for user"));
        var done = await host.ActivateAsync(Alice, request.Id);
        await Eventually.WaitUntilAsync(() => host.Okta.Requests.Count(r => r.OperationId == "listLogEvents") >= 4, "a few watch reads");
        Assert.DoesNotContain(await AuditAsync(host, request.Id), a => a.Action == "WatchAlert");

        // The recovery is complete, and the watch goes on: a factor removed now is the pattern again.
        Assert.NotNull(done.ActivatedAt);
        host.Okta.AddLogEvent(new SandboxLogEntry("user.mfa.factor.deactivate", OktaSandboxSeed.AliceId, "Reset factor for user"));
        await Eventually.WaitUntilAsync(async () => (await AuditAsync(host, request.Id)).Any(a => a.Action == "WatchAlert"), "the later factor change");
    }

    [Fact]
    public async Task Ordinary_events_others_actions_and_events_before_the_reset_raise_nothing()
    {
        using var host = NewHost(FastWatch);
        host.Okta.AddLogEvent(new SandboxLogEntry("user.session.access_admin_app", OktaSandboxSeed.AliceId, "before the reset")
        {
            Published = DateTimeOffset.UtcNow.AddHours(-1),
        });
        var request = await AskAsync(host, Alice);
        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        host.Okta.AddLogEvent(new SandboxLogEntry("user.session.start", OktaSandboxSeed.AliceId, "User login to Okta"));
        host.Okta.AddLogEvent(new SandboxLogEntry("user.session.access_admin_app", OktaSandboxSeed.BobId, "Bob's own admin work"));
        await Eventually.WaitUntilAsync(() => host.Okta.Requests.Count(r => r.OperationId == "listLogEvents") >= 4, "a few watch reads");

        Assert.DoesNotContain(await AuditAsync(host, request.Id), a => a.Action == "WatchAlert");
    }

    [Fact]
    public async Task A_system_log_that_cannot_be_read_is_said_once_in_the_thread()
    {
        using var host = NewHost(FastWatch);
        var request = await AskAsync(host, Alice);
        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        for (var i = 0; i < 3; i++)
        {
            host.Okta.FailNext(403, "E0000006", "You do not have permission to perform the requested action", operationId: "listLogEvents");
        }

        await Eventually.WaitUntilAsync(async () => (await AuditAsync(host, request.Id)).Any(a => a.Action == "WatchAlert"), "the watch problem");
        await Eventually.WaitUntilAsync(() => host.Okta.Requests.Count(r => r.OperationId == "listLogEvents") >= 5, "more watch reads");
        var lines = (await AuditAsync(host, request.Id)).Where(a => a.Action == "WatchAlert").ToList();
        Assert.Contains("the System Log could not be read, so this reset is not being watched", Assert.Single(lines).Detail);
    }

    [Fact]
    public async Task The_approval_card_shows_the_system_logs_last_seven_days()
    {
        using var host = NewHost();
        host.Okta.AddLogEvent(new SandboxLogEntry("user.account.reset_password", OktaSandboxSeed.ErinId, "Reset password")
        {
            TargetIds = [OktaSandboxSeed.AliceId],
            Published = DateTimeOffset.UtcNow.AddDays(-2),
        });
        var alice = await AskAsync(host, Alice);
        var carol = await AskAsync(host, StepUpFlowTests.Carol);

        var aliceFacts = RequestPresenter.ApprovalMessage(alice).Card!.Data["targetFacts"]!.ToJsonString();
        Assert.Contains("Last sign-in (7 days)", aliceFacts);
        Assert.Contains("United States (a usual country)", aliceFacts);
        Assert.Contains("CHANGED or reset at", aliceFacts);
        var carolFacts = RequestPresenter.ApprovalMessage(carol).Card!.Data["targetFacts"]!.ToJsonString();
        Assert.Contains("Germany (NEW COUNTRY for this user)", carolFacts);
        Assert.Single(host.Okta.Requests, r => r.OperationId == "listLogEvents" && r.PathAndQuery.Contains(OktaSandboxSeed.CarolId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_system_log_okta_will_not_show_is_shown_as_unknown_never_as_reassurance()
    {
        using var host = NewHost();
        _ = host.Services;
        host.Okta.FailNext(403, "E0000006", "You do not have permission to perform the requested action", operationId: "listLogEvents");

        var alice = await AskAsync(host, Alice);

        Assert.Contains("unknown: Okta\\u0027s System Log could not be read", RequestPresenter.ApprovalMessage(alice).Card!.Data["targetFacts"]!.ToJsonString());
        Assert.StartsWith("Okta's System Log could not be read", alice.Insight!.Risk!.Problem, StringComparison.Ordinal);
        Assert.Null(alice.Insight.Risk.LastSignInAt);
    }

    [Fact]
    public async Task An_undecided_request_gets_one_reminder_mentioning_the_approvers_and_then_expires_never_approved()
    {
        using var host = NewHost(new Dictionary<string, string?>
        {
            ["Approvals:ReminderAfter"] = "00:00:01",
            ["Approvals:Timeout"] = "00:00:03",
        });
        var service = host.Services.GetRequiredService<ResetWorkflowService>();
        var request = await AskAsync(host, Alice);
        Assert.Contains("min left), it expires", RequestPresenter.StatusMessage(request).Card!.Data.ToJsonString());

        await service.ExpireDueAsync(CancellationToken.None);
        Assert.Null((await host.Store.FindAsync(request.Id, CancellationToken.None))!.RemindedAt);
        await Task.Delay(1100, TestContext.Current.CancellationToken);
        await service.ExpireDueAsync(CancellationToken.None);
        await service.ExpireDueAsync(CancellationToken.None);
        await host.OutboxSettledAsync();

        var reminder = Assert.Single(host.Chat.In("support"), m => m.Message.Text.StartsWith("Reminder:", StringComparison.Ordinal));
        Assert.Contains("nothing is ever approved automatically", reminder.Message.Text);
        Assert.Equal(["bob", "erin"], reminder.Message.Mentions!.Select(m => m.Id));
        Assert.Single(await AuditAsync(host, request.Id), a => a.Action == "Reminded");

        await Task.Delay(2100, TestContext.Current.CancellationToken);
        await service.ExpireDueAsync(CancellationToken.None);
        var expired = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RequestState.Expired, expired.State);
        Assert.Empty(expired.Approvals);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");
    }
}
