using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Teams.Fakes;
using static ChatOpsMfa.Tests.Teams.TeamsStepUpSteps;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// Issue 11's approver step-up in Teams: an Approve click in the support channel counts only once the approver accepts
/// an Okta Verify push on their own phone. Everything goes through signed activities to <c>/api/messages</c>, the
/// fake Connector and the Okta sandbox, which answers the pushes as a phone would.
/// </summary>
public sealed class TeamsStepUpTests : TeamsEveryoneFixture
{
    [Fact]
    public async Task Approve_waits_for_the_approvers_Okta_Verify_and_counts_once_the_push_is_accepted()
    {
        using var host = new TeamsTestHost(Fake, Settings());
        var request = await AskAsync(host, Alice);

        var clicked = await ClickAsync(host, Bob, request, "approve");

        // The click's answer is the card as it now stands for Bob: waiting for his phone, nothing reset yet.
        Assert.Equal("application/vnd.microsoft.card.adaptive", clicked["type"]!.GetValue<string>());
        Assert.Contains("Waiting for Bob Helper", Shown(clicked["value"]!), StringComparison.Ordinal);
        var push = await PushForAsync(host, OktaSandboxSeed.BobId);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        Assert.False(ResetAtOkta(host));
        await ThreadLineAsync(host, request, "clicked Approve: waiting for Bob Helper's Okta Verify");
        await Eventually.WaitUntilAsync(() => ApprovalCardNow(host, request).Contains("Waiting for Bob Helper", StringComparison.Ordinal),
            "the approval card updated for everyone");
        await Eventually.WaitUntilAsync(() => TeamsActivationSteps.Sends(host, "a:1on1-" + Bob.MemberId)
            .Any(c => c.Json["text"]!.GetValue<string>().Contains("I sent an Okta Verify push to your phone", StringComparison.Ordinal)),
            "Bob's private notice in his 1:1 chat");

        Assert.True(OktaOf(host).ApprovePushChallenge(OktaSandboxSeed.BobId, push.TransactionId));

        var enrolled = await TeamsActivationSteps.WaitForAsync(host, request.Id,
            r => r.State == RequestState.AwaitingActivation && r.KeyMessage is not null, "the key card");
        Assert.Equal(RequestState.AwaitingActivation, enrolled.State);
        Assert.True(ResetAtOkta(host));
        await ThreadLineAsync(host, request, "Approved by Bob Helper (confirmed with their Okta Verify push)");
        Assert.Contains(await host.Store.AuditTrailAsync(request.Id, CancellationToken.None), a => a.Action == "Approve");
    }

    [Fact]
    public async Task A_rejected_push_is_a_security_event_in_the_thread_and_the_audit_and_nothing_is_reset()
    {
        using var host = new TeamsTestHost(Fake, Settings());
        var request = await AskAsync(host, Alice);

        await ClickAsync(host, Bob, request, "approve");
        var push = await PushForAsync(host, OktaSandboxSeed.BobId);
        Assert.True(OktaOf(host).RejectPushChallenge(OktaSandboxSeed.BobId, push.TransactionId));

        var line = await ThreadLineAsync(host, request, "Security event");
        Assert.StartsWith("\u26a0\ufe0f", line, StringComparison.Ordinal);
        Assert.Contains("Bob Helper's Okta Verify push was REJECTED", line, StringComparison.Ordinal);
        await AuditedAsync(host, request, "StepUpRejected");
        var stored = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RequestState.AwaitingApproval, stored.State);
        Assert.Empty(stored.StepUps);
        Assert.False(ResetAtOkta(host));
    }

    [Fact]
    public async Task An_unanswered_push_is_not_counted_and_nothing_is_reset()
    {
        using var host = new TeamsTestHost(Fake, Settings(("Approvals:VerificationTimeout", "00:00:02")));
        var request = await AskAsync(host, Alice);

        await ClickAsync(host, Bob, request, "approve");
        await PushForAsync(host, OktaSandboxSeed.BobId);

        var line = await ThreadLineAsync(host, request, "Not counted");
        Assert.Contains("Bob Helper's Okta Verify push was not answered", line, StringComparison.Ordinal);
        await AuditedAsync(host, request, "StepUpFailed");
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        Assert.False(ResetAtOkta(host));
    }

    [Fact]
    public async Task An_approver_without_an_active_push_factor_is_told_why_and_no_push_is_sent()
    {
        // Carol (SUPER_ADMIN) is an approver here, but has no Okta Verify push factor in the sandbox.
        using var host = new TeamsTestHost(Fake, Settings(("Approvals:Approvers:1", Carol.AadObjectId)));
        var request = await AskAsync(host, Alice);
        OktaOf(host).ClearRequests();

        var clicked = await ClickAsync(host, Carol, request, "approve");

        await Eventually.WaitUntilAsync(() => TeamsActivationSteps.Sends(host, "a:1on1-" + Carol.MemberId)
            .Any(c => c.Json["text"]!.GetValue<string>().Contains("no active Okta Verify push factor", StringComparison.Ordinal)), "Carol's notice");
        Assert.DoesNotContain("Waiting for Carol", Shown(clicked), StringComparison.Ordinal);
        Assert.DoesNotContain(OktaOf(host).Requests, r => r.OperationId is "verifyFactor" or "resetFactors");
        Assert.Empty(OktaOf(host).PendingPushChallenges);
        var stored = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RequestState.AwaitingApproval, stored.State);
        Assert.Empty(stored.StepUps);
    }

    [Fact]
    public async Task A_privileged_target_needs_two_approvers_and_so_two_pushes()
    {
        using var host = new TeamsTestHost(Fake, Settings(
            ("Approvals:Approvers:0", Bob.AadObjectId), ("Approvals:Approvers:1", Erin.AadObjectId)));
        var request = await AskAsync(host, Carol);

        await ClickAsync(host, Bob, request, "approve");
        await AcceptPushAsync(host, OktaSandboxSeed.BobId);
        await ThreadLineAsync(host, request, "Approved by Bob Helper (confirmed with their Okta Verify push)");
        var afterOne = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RequestState.AwaitingApproval, afterOne.State);
        Assert.False(ResetAtOkta(host));

        await ClickAsync(host, Erin, request, "approve");
        await AcceptPushAsync(host, OktaSandboxSeed.ErinId);

        var enrolled = await TeamsActivationSteps.WaitForAsync(host, request.Id,
            r => r.State == RequestState.AwaitingActivation && r.KeyMessage is not null, "the key card");
        Assert.Equal(RequestState.AwaitingActivation, enrolled.State);
        var pushes = OktaOf(host).Requests.Where(r => r.OperationId == "verifyFactor").Select(r => r.Path).ToList();
        Assert.Equal(2, pushes.Count);
        Assert.Contains(pushes, p => p.Contains(OktaSandboxSeed.BobId, StringComparison.Ordinal));
        Assert.Contains(pushes, p => p.Contains(OktaSandboxSeed.ErinId, StringComparison.Ordinal));
    }
}
