using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>
/// Issue 11, point 1: a click in chat is not proof. With <c>Approvals:ApproverVerification=OktaVerifyPush</c> an Approve
/// or Retry counts only once the approver accepts an Okta Verify push on their own device.
/// </summary>
public class StepUpFlowTests : FlowTestsOnEitherStore
{
    public static readonly ChatUser Carol = new("carol", "Carol Admin", "carol@example.com");

    private static readonly Dictionary<string, string?> StepUp = new()
    {
        ["Approvals:ApproverVerification"] = "OktaVerifyPush",
        ["Approvals:VerificationPollInterval"] = "00:00:00.100",
    };

    private static JsonObject Form(string factor) => new() { ["verb"] = "submitRequest", ["factor"] = factor };

    private static async Task<ResetRequest> AskAsync(FlowHost host, ChatUser who)
    {
        await host.SubmitAsync(who, Form("token:software:totp|GOOGLE"));
        return Assert.Single(await host.AllRequestsAsync(), r => r.Requester.Id == who.Id);
    }

    private static async Task<PendingPushChallenge> PushToAsync(FlowHost host, string oktaUserId)
    {
        PendingPushChallenge? challenge = null;
        await Eventually.WaitUntilAsync(() => (challenge = host.Okta.PendingPushChallenges.SingleOrDefault(c => c.UserId == oktaUserId)) is not null,
            "the Okta Verify push to the approver");
        return challenge!;
    }

    [Fact]
    public async Task An_approval_waits_for_the_approvers_own_push_and_counts_once_it_is_accepted()
    {
        using var host = NewHost(StepUp);
        var request = await AskAsync(host, Alice);
        host.Okta.ClearRequests();

        var clicked = await host.ClickAsync(Bob, "approve", request.Id);

        Assert.Contains("I sent an Okta Verify push to your phone", clicked.Notice);
        var waiting = await host.Store.FindAsync(request.Id, CancellationToken.None);
        Assert.Equal(RequestState.AwaitingApproval, waiting!.State);
        Assert.Empty(waiting.Approvals);
        Assert.Contains("Waiting for Bob Helper's Okta Verify", RequestPresenter.ApprovalMessage(waiting).Text);
        Assert.Contains(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply && m.Message.Text.Contains("waiting for Bob Helper's Okta Verify", StringComparison.Ordinal));
        var challenge = await PushToAsync(host, OktaSandboxSeed.BobId);
        var verify = Assert.Single(host.Okta.Requests, r => r.OperationId == "verifyFactor");
        Assert.Contains($"/users/{OktaSandboxSeed.BobId}/factors/{challenge.FactorId}/verify", verify.Path);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");

        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, challenge.TransactionId));
        var approved = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        var approval = Assert.Single(approved.Approvals);
        Assert.Equal(OktaSandboxSeed.BobId, approval.OktaUserId);
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Equal(["Requested", "StepUpStarted", "Approve"], audit.Select(a => a.Action).Take(3));
        Assert.Contains("confirmed with their Okta Verify push", audit.Single(a => a.Action == "Approve").Detail);
        await host.OutboxSettledAsync();
        Assert.Contains(host.Chat.In("support"), m => m.Message.Text == "Approved by Bob Helper (confirmed with their Okta Verify push).");
    }

    [Fact]
    public async Task A_rejected_push_is_a_security_event_in_the_thread_and_the_audit_and_the_approval_does_not_count()
    {
        using var host = NewHost(StepUp);
        var request = await AskAsync(host, Alice);
        host.Okta.ClearRequests();

        await host.ClickAsync(Bob, "approve", request.Id);
        var challenge = await PushToAsync(host, OktaSandboxSeed.BobId);
        Assert.True(host.Okta.RejectPushChallenge(OktaSandboxSeed.BobId, challenge.TransactionId));

        await Eventually.WaitUntilAsync(async () => (await host.Store.AuditTrailAsync(request.Id, CancellationToken.None)).Any(a => a.Action == "StepUpRejected"),
            "the rejected push in the audit trail");
        await host.OutboxSettledAsync();
        var still = await host.Store.FindAsync(request.Id, CancellationToken.None);
        Assert.Equal(RequestState.AwaitingApproval, still!.State);
        Assert.Empty(still.Approvals);
        Assert.Empty(still.StepUps);
        Assert.Contains(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply
            && m.Message.Text.StartsWith("\u26a0\ufe0f Security event: Bob Helper's Okta Verify push was REJECTED", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");
        Assert.Contains("SECURITY: approver " + OktaSandboxSeed.BobId + " rejected the Okta Verify push", host.Logs.AllText, StringComparison.Ordinal);

        // The card offers Approve again: another approver (or Bob, on his own phone) can still decide.
        Assert.Contains("\"verb\":\"approve\"", RequestPresenter.ApprovalMessage(still).Card!.Data.ToJsonString());
    }

    [Fact]
    public async Task A_push_nobody_answers_in_time_counts_for_nothing_and_nothing_is_reset()
    {
        using var host = NewHost(new Dictionary<string, string?>(StepUp) { ["Approvals:VerificationTimeout"] = "00:00:01" });
        var request = await AskAsync(host, Alice);
        host.Okta.ClearRequests();

        await host.ClickAsync(Bob, "approve", request.Id);
        await PushToAsync(host, OktaSandboxSeed.BobId);

        await Eventually.WaitUntilAsync(async () => (await host.Store.AuditTrailAsync(request.Id, CancellationToken.None)).Any(a => a.Action == "StepUpFailed"),
            "the unanswered push in the audit trail");
        await host.OutboxSettledAsync();
        var still = await host.Store.FindAsync(request.Id, CancellationToken.None);
        Assert.Equal(RequestState.AwaitingApproval, still!.State);
        Assert.Empty(still.Approvals);
        Assert.Contains(host.Chat.In("support"), m => m.Message.Text.StartsWith("Not counted: Bob Helper's Okta Verify push was not answered within", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");
    }

    [Fact]
    public async Task An_approver_without_an_active_push_factor_cannot_approve_is_told_why_and_no_push_is_sent()
    {
        using var host = NewHost(new Dictionary<string, string?>(StepUp) { ["Approvals:Approvers:2"] = "frank" });
        host.Okta.AddUser("frank@example.com", "Frank", "Nofactor");
        var request = await AskAsync(host, Alice);
        host.Okta.ClearRequests();

        var clicked = await host.ClickAsync(new ChatUser("frank", "Frank Nofactor", "frank@example.com"), "approve", request.Id);

        Assert.Contains("no active Okta Verify push factor", clicked.Notice);
        Assert.Contains("Deny (which needs no push)", clicked.Notice);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "verifyFactor");
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "ApproveRefused" && a.Detail!.Contains("no active Okta Verify push factor", StringComparison.Ordinal));
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Deny_needs_no_step_up()
    {
        using var host = NewHost(StepUp);
        var request = await AskAsync(host, Alice);
        host.Okta.ClearRequests();

        await host.ClickAsync(Bob, "deny", request.Id);

        Assert.Equal(RequestState.Denied, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "verifyFactor");
    }

    [Fact]
    public async Task A_privileged_target_needs_two_approvers_and_so_two_accepted_pushes()
    {
        using var host = NewHost(StepUp);
        var request = await AskAsync(host, Carol);
        Assert.Equal(2, request.RequiredApprovals);

        await host.ClickAsync(Bob, "approve", request.Id);
        var bobs = await PushToAsync(host, OktaSandboxSeed.BobId);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, bobs.TransactionId));
        await Eventually.WaitUntilAsync(async () => (await host.Store.FindAsync(request.Id, CancellationToken.None))!.Approvals.Count() == 1, "Bob's approval");
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);

        await host.ClickAsync(Erin, "approve", request.Id);
        var erins = await PushToAsync(host, OktaSandboxSeed.ErinId);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.ErinId, erins.TransactionId));
        var approved = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation, RequestState.EnrollFailed, RequestState.Failed);

        Assert.Equal([OktaSandboxSeed.BobId, OktaSandboxSeed.ErinId], approved.Approvals.Select(a => a.OktaUserId));
        Assert.Equal(2, host.Okta.Requests.Count(r => r.OperationId == "verifyFactor"));
    }

    [Fact]
    public async Task Two_approve_clicks_at_once_send_one_push()
    {
        using var host = NewHost(StepUp);
        var request = await AskAsync(host, Alice);
        host.Okta.ClearRequests();

        var clicks = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => host.ClickAsync(Bob, "approve", request.Id)));

        Assert.Single(host.Okta.Requests, r => r.OperationId == "verifyFactor");
        Assert.Single(clicks, c => c.Notice?.Contains("I sent an Okta Verify push", StringComparison.Ordinal) == true);
        Assert.Single((await host.Store.FindAsync(request.Id, CancellationToken.None))!.StepUps);
    }

    [Fact]
    public async Task A_push_accepted_after_another_approver_denied_counts_for_nothing()
    {
        using var host = NewHost(StepUp);
        var request = await AskAsync(host, Alice);

        await host.ClickAsync(Bob, "approve", request.Id);
        var challenge = await PushToAsync(host, OktaSandboxSeed.BobId);
        await host.ClickAsync(Erin, "deny", request.Id);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, challenge.TransactionId));
        await Task.Delay(500, TestContext.Current.CancellationToken); // a few poll rounds: nothing may count now

        var denied = await host.Store.FindAsync(request.Id, CancellationToken.None);
        Assert.Equal(RequestState.Denied, denied!.State);
        Assert.Empty(denied.Approvals);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");
    }

    [Fact]
    public async Task A_retry_after_a_failure_needs_the_push_too()
    {
        using var host = NewHost(StepUp);
        var request = await AskAsync(host, Alice);
        host.Okta.FailNext(500, operationId: "resetFactors");
        await host.ClickAsync(Bob, "approve", request.Id);
        var first = await PushToAsync(host, OktaSandboxSeed.BobId);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, first.TransactionId));
        await host.WaitForAsync(request.Id, RequestState.Failed);
        host.Okta.ClearRequests();

        var retried = await host.ClickAsync(Erin, "retry", request.Id);

        Assert.Contains("I sent an Okta Verify push", retried.Notice);
        Assert.Equal(RequestState.Failed, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");
        var second = await PushToAsync(host, OktaSandboxSeed.ErinId);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.ErinId, second.TransactionId));
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        Assert.Single(host.Okta.Requests, r => r.OperationId == "resetFactors");
    }
}
