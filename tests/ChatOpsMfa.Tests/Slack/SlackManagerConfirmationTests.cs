using System.Net;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// <c>Approvals:ManagerConfirmation=Required</c> in Slack: the target's manager (Okta managerId, then Slack's
/// <c>users.lookupByEmail</c>) gets a card in their DM with Confirm and Report; the approval completes only once they
/// confirm, a Report cancels the request with a warning in the support thread, and a manager Slack cannot reach
/// blocks the request with the reason.
/// </summary>
public sealed class SlackManagerConfirmationTests
{
    private const string ManagerDm = "DDAVE";

    private static Dictionary<string, string?> Settings() =>
        SlackApprovalRun.StepUp(("Approvals:ManagerConfirmation", "Required"));

    [Fact]
    public async Task The_manager_gets_a_card_in_their_DM_and_their_Confirm_completes_the_approval()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, Settings());
        var run = await SlackApprovalRun.SubmitAsync(host);
        var number = RequestPresenter.Reference(run.Request);

        // Dave was found in Slack by the email in his Okta profile, and the card went to his DM with the bot.
        var card = await ManagerCardAsync(slack);
        Assert.Contains(slack.CallsTo("users.lookupByEmail"), c => c.Body["email"]!.GetValue<string>() == "dave@example.com");
        Assert.Contains(slack.CallsTo("conversations.open"), c => c.Body["users"]!.GetValue<string>() == "UDAVE");
        Assert.Equal($"Please confirm: an MFA reset for Alice Example ({number})", SlackRecovery.Header(card));
        Assert.Contains("Confirm only if you have checked it is Alice Example, in person or on a video call.", SlackApprovalRun.BlockTexts(card),
            StringComparison.Ordinal);
        Assert.Equal([("confirmManager", "Confirm, I checked it is them"), ("reportManager", "Report: I could not confirm")], SlackRecovery.Buttons(card));
        var buttons = card.Body["blocks"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray();
        Assert.All(buttons, b => Assert.Equal(run.Request.Id, b!["value"]!.GetValue<string>()));
        Assert.All(buttons, b => Assert.NotNull(b!["confirm"])); // a slip of the thumb neither confirms nor reports
        Assert.Equal(["primary", "danger"], buttons.Select(b => b!["style"]!.GetValue<string>()));
        Assert.Empty(FakeSlackRules.MessageViolations(card.Body["blocks"]!.AsArray()));
        var cardTs = card.Answer["ts"]!.GetValue<string>();

        // Bob approves with his push: the approval now waits for Dave, and nothing is reset yet.
        await run.ApproveAsync("UBOB");
        var push = await run.PushForAsync(OktaSandboxSeed.BobId);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, push.TransactionId));
        await run.MessageShowingAsync(run.ApprovalTs, "Approved; waiting for Dave Manager, Alice Example's manager, to confirm it is them.");
        Assert.Equal(RequestState.AwaitingApproval, (await run.StoredAsync()).State);
        Assert.DoesNotContain("resetFactors", run.OktaOperations);

        // Bob cannot confirm in Dave's place from his own DM: refused privately, nothing changes.
        await run.ClickAsync("UBOB", "confirmManager", "DBOB", cardTs);
        await Eventually.WaitUntilAsync(() => run.NoticesTo("UBOB", "DBOB").Count > 0, "Bob's refusal");
        Assert.StartsWith($"{number}: ", run.NoticesTo("UBOB", "DBOB")[0], StringComparison.Ordinal);
        Assert.Null((await run.StoredAsync()).Manager!.ConfirmedAt);

        // Dave confirms in his DM: the approval completes and the recovery goes on.
        await run.ClickAsync("UDAVE", "confirmManager", ManagerDm, cardTs);

        Assert.Equal("Dave Manager, Alice Example's manager, confirmed it is them. Approved.", await run.ThreadLineAsync("Dave Manager, Alice Example's manager"));
        await host.WaitForAsync(r => r.Id == run.Request.Id && r.State == RequestState.AwaitingActivation, "the enrolled request");
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DALICE" && c.AllText.Contains("Setup key", StringComparison.Ordinal)), "the key card");
        var updated = await run.MessageShowingAsync(cardTs, "You confirmed it is Alice Example at ");
        Assert.Equal(ManagerDm, updated.Channel);
        Assert.Empty(SlackRecovery.Buttons(updated));
        Assert.Empty(run.NoticesTo("UDAVE", ManagerDm)); // like Approve: the card itself changes, no private notice
        var audit = await run.AuditAsync();
        Assert.Contains(audit, a => a.Action == "ConfirmManager" && a.ActorId == "UDAVE");
        Assert.Contains(audit, a => a.Action == "ConfirmManagerRefused" && a.ActorId == "UBOB");
        Assert.Single(run.OktaOperations, o => o == "resetFactors");
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task The_managers_Report_cancels_the_request_with_a_warning_in_the_support_thread()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, Settings());
        var run = await SlackApprovalRun.SubmitAsync(host);
        var cardTs = (await ManagerCardAsync(slack)).Answer["ts"]!.GetValue<string>();

        await run.ClickAsync("UDAVE", "reportManager", ManagerDm, cardTs);

        Assert.Equal("\u26a0\ufe0f Cancelled: Dave Manager, Alice Example's manager, reported this request: they could not confirm it is Alice Example asking. " +
            "Treat it as a possible social-engineering attempt.", await run.ThreadLineAsync("\u26a0\ufe0f Cancelled:"));
        var cancelled = await host.WaitForAsync(r => r.Id == run.Request.Id && r.State == RequestState.Cancelled, "the cancelled request");
        Assert.Equal(RequestTrigger.ReportManager, cancelled.Decisions[^1].Action);
        var approval = await run.MessageShowingAsync(run.ApprovalTs, "Cancelled: the manager could not confirm it was the right person asking.");
        Assert.Empty(SlackRecovery.Buttons(approval));
        await Eventually.WaitUntilAsync(() => SlackRecovery.Buttons(run.Latest(cardTs)).Count == 0, "the manager card without buttons");
        Assert.Contains(await run.AuditAsync(), a => a.Action == "ReportManager" && a.ActorId == "UDAVE");

        // A late Approve changes nothing, and sends no push.
        var late = await run.ApproveAsync("UBOB");
        Assert.StartsWith(RequestPresenter.Reference(run.Request) + ": ", late, StringComparison.Ordinal);
        Assert.DoesNotContain("verifyFactor", run.OktaOperations);
        Assert.DoesNotContain("resetFactors", run.OktaOperations);
        Assert.Equal(RequestState.Cancelled, (await run.StoredAsync()).State);
    }

    [Fact]
    public async Task A_manager_Slack_does_not_know_by_email_blocks_the_request_with_the_reason()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        slack.Users.Remove("UDAVE"); // users.lookupByEmail answers users_not_found for dave@example.com
        using var host = new SlackTestHost(slack, Settings());
        var run = await SlackApprovalRun.SubmitAsync(host);

        const string Reason = "Alice Example's manager, Dave Manager, could not be found in chat by their email, so they cannot be asked to confirm";
        await run.MessageShowingAsync(run.ApprovalTs, $"Blocked: {Reason}. It can be denied or cancelled, not approved.");
        var lookup = Assert.Single(slack.CallsTo("users.lookupByEmail"), c => c.Body["email"]!.GetValue<string>() == "dave@example.com");
        Assert.Equal("users_not_found", lookup.Answer["error"]!.GetValue<string>());
        Assert.DoesNotContain(slack.CallsTo("conversations.open"), c => c.Body["users"]!.GetValue<string>() == "UDAVE");

        var refusal = await run.ApproveAsync("UBOB");

        Assert.Contains("approval cannot complete", refusal, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("verifyFactor", run.OktaOperations);
        Assert.DoesNotContain("resetFactors", run.OktaOperations);
        Assert.Equal(RequestState.AwaitingApproval, (await run.StoredAsync()).State);
    }

    [Fact]
    public async Task A_manager_whose_DM_Slack_refuses_to_open_blocks_the_request_with_the_reason()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        slack.Refuse("conversations.open", "user_disabled", body => body["users"]?.GetValue<string>() == "UDAVE");
        using var host = new SlackTestHost(slack, Settings());
        var run = await SlackApprovalRun.SubmitAsync(host);

        var blocked = await host.WaitForAsync(r => r.Id == run.Request.Id && r.Manager?.Problem is not null, "the blocked request");

        Assert.Contains("Dave Manager could not be reached in chat", blocked.Manager!.Problem, StringComparison.Ordinal);
        Assert.Contains("user_disabled", blocked.Manager.Problem, StringComparison.Ordinal);
        Assert.Single(slack.CallsTo("conversations.open"), c => c.Body["users"]!.GetValue<string>() == "UDAVE"); // refused for good: not retried
        await run.MessageShowingAsync(run.ApprovalTs, "Blocked: Dave Manager could not be reached in chat");
        Assert.EndsWith("The request can be denied or cancelled, not approved.", await run.ThreadLineAsync("Blocked: Dave Manager could not be reached in chat"),
            StringComparison.Ordinal);
        Assert.DoesNotContain(slack.CallsTo("chat.postMessage"), c => c.Channel == ManagerDm);
    }

    [Fact]
    public async Task Confirm_from_outside_a_direct_message_is_refused_and_changes_nothing()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, Settings());
        var run = await SlackApprovalRun.SubmitAsync(host);
        var cardTs = (await ManagerCardAsync(slack)).Answer["ts"]!.GetValue<string>();

        var answer = await host.InteractAsync(SlackPayloads.Click("UDAVE", "confirmManager", run.Request.Id, SlackTestHost.SupportChannel, cardTs, "7.7"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Null((await run.StoredAsync()).Manager!.ConfirmedAt);
        Assert.DoesNotContain(await run.AuditAsync(), a => a.Action.StartsWith("ConfirmManager", StringComparison.Ordinal));
        Assert.DoesNotContain(slack.CallsTo("chat.postEphemeral"), c => c.Body["user"]!.GetValue<string>() == "UDAVE");
    }

    private static async Task<RecordedSlackCall> ManagerCardAsync(FakeSlackApi slack)
    {
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == ManagerDm), "the manager's card");
        return slack.CallsTo("chat.postMessage").Single(c => c.Channel == ManagerDm);
    }
}
