using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// A click in Slack is not proof of who clicked: with <c>Approvals:ApproverVerification=OktaVerifyPush</c> an approval
/// counts only once the approver accepts an Okta Verify push on their own phone. Driven through Slack's signed
/// interactions, against the fake Web API and the Okta sandbox's simulated device.
/// </summary>
public sealed class SlackStepUpTests
{
    [Fact]
    public async Task Approve_waits_for_the_approvers_push_and_the_accepted_push_sends_the_key_card()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, SlackApprovalRun.StepUp());
        var run = await SlackApprovalRun.SubmitAsync(host);
        var number = RequestPresenter.Reference(run.Request);

        var notice = await run.ApproveAsync("UBOB");

        Assert.StartsWith($"{number}: I sent an Okta Verify push to your phone. Your approval counts only once you accept it there (within 2 min).", notice,
            StringComparison.Ordinal);
        var waiting = await run.MessageShowingAsync(run.ApprovalTs, "Waiting for Bob Helper's Okta Verify to confirm the approval.");
        Assert.Equal(SlackTestHost.SupportChannel, waiting.Channel);
        Assert.Equal("Bob Helper clicked Approve: waiting for Bob Helper's Okta Verify. It counts only once they accept the push on their own phone.",
            await run.ThreadLineAsync("Bob Helper clicked Approve"));
        var push = await run.PushForAsync(OktaSandboxSeed.BobId);
        var verify = Assert.Single(host.Okta.Requests, r => r.OperationId == "verifyFactor");
        Assert.Equal($"/api/v1/users/{OktaSandboxSeed.BobId}/factors/{push.FactorId}/verify", verify.Path);
        Assert.Equal("ChatOpsMfa/1.0 (approver step-up)", verify.Header("User-Agent"));

        // Until Bob accepts, nothing at Okta changes and the request is still waiting.
        Assert.DoesNotContain("resetFactors", run.OktaOperations);
        Assert.Equal(RequestState.AwaitingApproval, (await run.StoredAsync()).State);
        Assert.DoesNotContain(slack.CallsTo("chat.postMessage"), c => c.Channel == "DALICE" && c.AllText.Contains("Setup key", StringComparison.Ordinal));

        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, push.TransactionId));

        await host.WaitForAsync(r => r.Id == run.Request.Id && r.State == RequestState.AwaitingActivation, "the enrolled request");
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DALICE" && c.AllText.Contains("Setup key", StringComparison.Ordinal)), "the key card in Alice's DM");
        Assert.Equal("Approved by Bob Helper (confirmed with their Okta Verify push).", await run.ThreadLineAsync("Approved by Bob Helper"));
        var operations = run.OktaOperations.ToList();
        Assert.True(operations.IndexOf("getFactorTransactionStatus") < operations.IndexOf("resetFactors"), string.Join(", ", operations));
        var audit = await run.AuditAsync();
        Assert.Contains(audit, a => a.Action == "StepUpStarted" && a.ActorId == "UBOB");
        Assert.Contains(audit, a => a.Action == "Approve" && a.ActorId == "UBOB");
        Assert.DoesNotContain(audit, a => a.Action is "StepUpRejected" or "StepUpFailed");
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task A_rejected_push_is_a_security_event_in_the_thread_and_the_audit_and_nothing_is_reset()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, SlackApprovalRun.StepUp());
        var run = await SlackApprovalRun.SubmitAsync(host);
        await run.ApproveAsync("UBOB");
        var push = await run.PushForAsync(OktaSandboxSeed.BobId);

        Assert.True(host.Okta.RejectPushChallenge(OktaSandboxSeed.BobId, push.TransactionId));

        var line = await run.ThreadLineAsync("\u26a0\ufe0f Security event:");
        Assert.Equal("\u26a0\ufe0f Security event: Bob Helper's Okta Verify push was REJECTED on their device, so the approval did not count. " +
            "If Bob Helper did not reject it, someone else may be clicking with their chat account.", line);
        Assert.All(run.ThreadReplies, r => Assert.Equal(SlackTestHost.SupportChannel, r.Channel));
        await Eventually.WaitUntilAsync(() => run.AuditAsync().Result.Any(a => a.Action == "StepUpRejected"), "the audit row");
        var rejected = Assert.Single(await run.AuditAsync(), a => a.Action == "StepUpRejected");
        Assert.Equal("UBOB", rejected.ActorId);
        Assert.Contains("REJECTED", rejected.Detail, StringComparison.Ordinal);
        var stored = await run.StoredAsync();
        Assert.Equal(RequestState.AwaitingApproval, stored.State);
        Assert.Empty(stored.StepUps);
        Assert.Empty(stored.Approvals);
        Assert.DoesNotContain("resetFactors", run.OktaOperations);
        Assert.DoesNotContain("enrollFactor", run.OktaOperations);
        // The approval message no longer says it waits for Bob's phone: it is back to waiting for an approval.
        await run.MessageShowingAsync(run.ApprovalTs, "Waiting for approval by the help desk.");
        Assert.Contains(SlackRecovery.Buttons(run.Latest(run.ApprovalTs)), b => b.ActionId == "approve");
    }

    [Fact]
    public async Task A_push_nobody_answers_in_time_is_not_counted_and_nothing_is_reset()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var clock = new ShiftedClock();
        using var host = new SlackTestHost(slack, SlackApprovalRun.StepUp(("Approvals:VerificationTimeout", "00:00:03")),
            s => s.AddSingleton<TimeProvider>(clock));
        var run = await SlackApprovalRun.SubmitAsync(host);
        Assert.Contains("(within 3 s)", await run.ApproveAsync("UBOB"), StringComparison.Ordinal);
        await run.PushForAsync(OktaSandboxSeed.BobId);

        clock.MoveForward(TimeSpan.FromSeconds(4)); // past Approvals:VerificationTimeout; Bob's phone never answers

        var line = await run.ThreadLineAsync("Not counted:");
        Assert.StartsWith("Not counted: Bob Helper's Okta Verify push was not answered within ", line, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(() => run.AuditAsync().Result.Any(a => a.Action == "StepUpFailed"), "the audit row");
        var stored = await run.StoredAsync();
        Assert.Equal(RequestState.AwaitingApproval, stored.State);
        Assert.Empty(stored.StepUps);
        Assert.DoesNotContain("resetFactors", run.OktaOperations);
        Assert.DoesNotContain(await run.AuditAsync(), a => a.Action is "Approve" or "StepUpRejected");
    }

    [Fact]
    public async Task An_approver_without_an_active_push_factor_is_told_why_and_nothing_is_sent()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        // Carol is an approver here, and her only factor is a security key: she has nothing to accept a push with.
        using var host = new SlackTestHost(slack, SlackApprovalRun.StepUp(("Approvals:Approvers:2", "UCAROL")));
        var run = await SlackApprovalRun.SubmitAsync(host);
        var number = RequestPresenter.Reference(run.Request);

        var notice = await run.ApproveAsync("UCAROL");

        Assert.StartsWith($"{number}: You have no active Okta Verify push factor", notice, StringComparison.Ordinal);
        Assert.EndsWith("Another approver can decide, or you can Deny (which needs no push).", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("verifyFactor", run.OktaOperations);
        Assert.DoesNotContain("resetFactors", run.OktaOperations);
        Assert.Empty(host.Okta.PendingPushChallenges);
        var stored = await run.StoredAsync();
        Assert.Equal(RequestState.AwaitingApproval, stored.State);
        Assert.Empty(stored.StepUps);
        Assert.Contains(await run.AuditAsync(), a => a.Action == "ApproveRefused" && a.ActorId == "UCAROL");
        // Nothing in the thread says Carol approved or is being waited for.
        Assert.DoesNotContain(run.ThreadLines, l => l.Contains("Carol", StringComparison.Ordinal));
        Assert.DoesNotContain(slack.CallsTo("chat.update"), c => SlackApprovalRun.BlockTexts(c).Contains("Carol Admin's Okta Verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_privileged_target_needs_two_approvers_and_two_accepted_pushes()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, SlackApprovalRun.StepUp());
        var run = await SlackApprovalRun.SubmitAsync(host, "UCAROL"); // Carol is a SUPER_ADMIN

        await run.ApproveAsync("UBOB");
        var bobs = await run.PushForAsync(OktaSandboxSeed.BobId);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, bobs.TransactionId));
        await host.WaitForAsync(r => r.Id == run.Request.Id && r.Approvals.Count() == 1 && r.StepUps.Count == 0, "Bob's approval counted");

        // One accepted push is not enough for an admin: the request still waits, and nothing was reset.
        Assert.Equal(RequestState.AwaitingApproval, (await run.StoredAsync()).State);
        Assert.DoesNotContain("resetFactors", run.OktaOperations);
        await run.ThreadLineAsync("Approved by Bob Helper (confirmed with their Okta Verify push).");

        await run.ApproveAsync("UERIN");
        var erins = await run.PushForAsync(OktaSandboxSeed.ErinId);
        Assert.DoesNotContain("resetFactors", run.OktaOperations);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.ErinId, erins.TransactionId));

        await host.WaitForAsync(r => r.Id == run.Request.Id && r.State == RequestState.AwaitingActivation, "the enrolled request");
        var verifies = host.Okta.Requests.Where(r => r.OperationId == "verifyFactor").Select(r => r.Path).ToList();
        Assert.Equal(
            [$"/api/v1/users/{OktaSandboxSeed.BobId}/factors/{bobs.FactorId}/verify", $"/api/v1/users/{OktaSandboxSeed.ErinId}/factors/{erins.FactorId}/verify"],
            verifies);
        Assert.Equal(2, (await run.AuditAsync()).Count(a => a.Action == "StepUpStarted"));
        Assert.Equal(["UBOB", "UERIN"], (await run.AuditAsync()).Where(a => a.Action == "Approve").Select(a => a.ActorId));
        Assert.Single(run.OktaOperations, o => o == "resetFactors");
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DCAROL" && c.AllText.Contains("Setup key", StringComparison.Ordinal)), "the key card in Carol's DM");
    }
}
