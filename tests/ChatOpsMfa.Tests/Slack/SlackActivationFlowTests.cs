using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Activating the new factor in Slack, through the real endpoints (signed requests) against the strict fake Web API and
/// the realistic Okta sandbox: wrong codes, the fifth wrong code, a new SMS code, expiry, Okta Verify. Each test asserts
/// on what was sent to Slack, what Okta was asked, what was stored and what was audited.
/// </summary>
public sealed class SlackActivationFlowTests
{
    private static readonly Dictionary<string, string?> FastWatch = new()
    {
        ["Activation:PollInterval"] = "00:00:00.200",
        ["Outbox:RetryDelay"] = "00:00:00.100",
        ["Outbox:PollInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task Wrong_code_is_answered_privately_with_the_attempts_left_and_the_button_counts_down()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, FastWatch);
        var alice = await SlackRecovery.EnrolAsync(host, "token:software:totp", "GOOGLE");
        var activationTs = alice.ActivationTs;
        Assert.Contains(("enterCode", "Enter the code (5 attempt(s) left)"), SlackRecovery.Buttons(alice.Latest(activationTs)));
        var wrong = alice.WrongCodes(1)[0];

        var notice = await alice.EnterCodeAsync(wrong);

        Assert.Equal("That code did not match. Please check it and try again: 4 attempt(s) left.", notice);
        var card = await alice.WaitForMessageAsync(activationTs, m => m.Body["ts"] is not null && m.AllText.Contains("4 attempt(s) left", StringComparison.Ordinal),
            "the activation message counting down");
        Assert.Equal("chat.update", card.Method);
        Assert.Equal(SlackRecovery.Dm, card.Channel);
        Assert.Contains(("enterCode", "Enter the code (4 attempt(s) left)"), SlackRecovery.Buttons(card));
        var stored = (await host.Store.FindAsync(alice.Request.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal((RequestState.AwaitingActivation, 1, 4), (stored.State, stored.CodesTried, stored.CodeAttemptsLeft));
        await Eventually.WaitUntilAsync(() => alice.ThreadLines.Contains("A wrong activation code was entered (1 wrong code(s); 4 attempt(s) left)."), "the thread line");
        var audit = await host.Store.AuditTrailAsync(alice.Request.Id, TestContext.Current.CancellationToken);
        Assert.Single(audit, a => a.Action == "CodeRejected");
        Assert.Single(host.Okta.Requests, r => r.OperationId == "activateFactor");

        // The right code still works after a wrong one.
        var right = alice.TotpCode();
        Assert.Equal("Google Authenticator (TOTP app) is active. You can sign in with it now.", await alice.EnterCodeAsync(right));
        await host.WaitForAsync(r => r.State == RequestState.Completed, "the activated request");
        await alice.AssertNowhereButOktaAsync(wrong, right);
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task Five_wrong_codes_stop_the_activation_and_an_approvers_retry_enrols_again_without_a_second_reset()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, FastWatch);
        var alice = await SlackRecovery.EnrolAsync(host, "token:software:totp", "GOOGLE");
        var firstFactor = alice.Request.Result!.FactorId;
        var firstKey = alice.KeyMessage;
        var firstSecret = alice.Secret!;
        var firstFile = alice.FileId;
        var activationTs = alice.ActivationTs;
        var wrong = alice.WrongCodes(6);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal($"That code did not match. Please check it and try again: {4 - i} attempt(s) left.", await alice.EnterCodeAsync(wrong[i]));
        }

        var fifth = await alice.EnterCodeAsync(wrong[4]);

        Assert.Equal("That code did not match either. After 5 wrong codes I stopped this activation; the help desk has been told and can start it again.", fifth);
        var ended = await host.WaitForAsync(r => r.State == RequestState.ActivationFailed, "the stopped activation");
        Assert.Equal("5 wrong codes were entered", ended.ActivationEndedBecause);

        // Okta: the pending factor is deleted; nothing of it remains.
        Assert.Contains(host.Okta.Requests, r => r.OperationId == "unenrollFactor" && r.Method == "DELETE" && r.Path.EndsWith("/factors/" + firstFactor, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!, f => f.Id == firstFactor);

        // Slack: the key message replaced and its QR file deleted; the code button gone; the approval message offers Retry.
        var keyNow = await alice.WaitForMessageAsync(firstKey.Answer["ts"]!.GetValue<string>(),
            m => m.AllText.Contains("Setup key removed because the activation ended", StringComparison.Ordinal), "the key message replaced");
        Assert.DoesNotContain(firstSecret, keyNow.AllText, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("files.delete").Any(c => c.Body["file"]!.GetValue<string>() == firstFile), "the QR file deleted");
        Assert.True(slack.Files[firstFile].Deleted, "the QR file is still in Slack");
        var card = await alice.WaitForMessageAsync(activationTs,
            m => m.AllText.Contains("The setup did not finish: 5 wrong codes were entered.", StringComparison.Ordinal), "the activation message ended");
        Assert.DoesNotContain(SlackRecovery.Buttons(card), b => b.ActionId is "enterCode" or "activate");
        var approval = await alice.WaitForMessageAsync(alice.ApprovalTs, m => SlackRecovery.Buttons(m).Any(b => b.ActionId == "retry"), "the Retry button");
        Assert.Contains("An approver can retry the enrolment", approval.AllText, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(() => alice.ThreadLines.Any(l => l.StartsWith("Activation stopped: 5 wrong codes were entered.", StringComparison.Ordinal))
            && alice.ThreadLines.Any(l => l.Contains($"The pending factor {firstFactor} was deleted in Okta", StringComparison.Ordinal)), "the thread lines");
        var audit = await host.Store.AuditTrailAsync(alice.Request.Id, TestContext.Current.CancellationToken);
        Assert.Equal(5, audit.Count(a => a.Action == "CodeRejected"));
        Assert.Contains(audit, a => a.Action == "FactorRemoved");

        // A sixth guess, from a modal opened before, never reaches Okta.
        var sixth = await alice.SubmitCodeAsync(wrong[5]);
        Assert.Contains("activation has ended (5 wrong codes were entered)", sixth, StringComparison.Ordinal);
        Assert.Equal(5, host.Okta.Requests.Count(r => r.OperationId == "activateFactor"));

        // Erin (an approver) retries: a new enrolment, no second reset, a fresh key and QR in the DM.
        await alice.ClickAsync("UERIN", "retry", SlackTestHost.SupportChannel, alice.ApprovalTs);
        await alice.WaitForEnrolmentAsync(2);
        Assert.NotEqual(firstFactor, alice.Request.Result!.FactorId);
        Assert.NotEqual(firstSecret, alice.Secret);
        Assert.NotEqual(firstFile, alice.FileId);
        Assert.Equal(SlackRecovery.Dm, slack.CallsTo("files.completeUploadExternal").Last().Body["channel_id"]!.GetValue<string>());
        Assert.Single(alice.OktaOperations, o => o == "resetFactors");
        Assert.Equal(2, alice.OktaOperations.Count(o => o == "enrollFactor"));
        var factors = host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!;
        Assert.Equal(alice.Request.Result.FactorId, Assert.Single(factors).Id);
        var again = await alice.WaitForMessageAsync(activationTs, m => m.AllText.Contains("Enter the code (5 attempt(s) left)", StringComparison.Ordinal),
            "the activation message open again");
        Assert.Equal("chat.update", again.Method);
        Assert.Single(slack.CallsTo("chat.postMessage"), c => SlackRecovery.Header(c)?.StartsWith("Finish setting up", StringComparison.Ordinal) == true);

        // The new key activates, and exactly one factor of the kind remains, ACTIVE.
        var right = alice.TotpCode();
        Assert.Contains("is active", await alice.EnterCodeAsync(right), StringComparison.Ordinal);
        await host.WaitForAsync(r => r.State == RequestState.Completed, "the activated request");
        Assert.Equal("ACTIVE", Assert.Single(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!).Status);
        await alice.AssertNowhereButOktaAsync([.. wrong.Take(5), right]);
        Assert.DoesNotContain(slack.Calls, c => c.AllText.Contains(wrong[5], StringComparison.Ordinal));
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task Sms_send_a_new_code_replaces_the_earlier_one_and_is_bounded()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var clock = new ShiftedClock();
        var settings = new Dictionary<string, string?>(FastWatch) { ["Activation:MaxResends"] = "2" };
        using var host = new SlackTestHost(slack, settings, s => s.AddSingleton<TimeProvider>(clock));
        var alice = await SlackRecovery.EnrolAsync(host, "sms", "OKTA", "+1 415 555 4567");
        var activationTs = alice.ActivationTs;
        Assert.Equal([("enterCode", "Enter the code (5 attempt(s) left)"), ("resendCode", "Send a new code")], SlackRecovery.Buttons(alice.Latest(activationTs)));
        var first = CodeIn(Assert.Single(host.Okta.Inbox, m => m.UserId == OktaSandboxSeed.AliceId));

        // Okta sends an SMS at most every 30 seconds to one number.
        clock.MoveForward(TimeSpan.FromSeconds(31));
        Assert.Equal("Okta is sending a new code to +1 ••• ••• 4567.", await alice.ResendAsync());
        clock.MoveForward(TimeSpan.FromSeconds(31));
        Assert.Equal("Okta is sending a new code to +1 ••• ••• 4567.", await alice.ResendAsync());

        // The last new code allowed was sent: the button goes, and a click on it from before is refused without asking Okta.
        var noMore = await alice.WaitForMessageAsync(activationTs, m => m.Body["ts"] is not null && !SlackRecovery.Buttons(m).Any(b => b.ActionId == "resendCode"),
            "the activation message without the resend button");
        Assert.Equal([("enterCode", "Enter the code (5 attempt(s) left)")], SlackRecovery.Buttons(noMore));
        clock.MoveForward(TimeSpan.FromSeconds(31));
        var third = await alice.ResendAsync();

        Assert.Contains("new code was already sent 2 time(s), the most allowed", third, StringComparison.Ordinal);
        Assert.Equal(2, host.Okta.Requests.Count(r => r.OperationId == "resendEnrollFactor"));
        var sent = host.Okta.Inbox.Where(m => m.UserId == OktaSandboxSeed.AliceId).Select(m => CodeIn(m)).ToList();
        Assert.Equal(3, sent.Count);
        var audit = await host.Store.AuditTrailAsync(alice.Request.Id, TestContext.Current.CancellationToken);
        Assert.Equal(["new sms code 1 of 2", "new sms code 2 of 2"], audit.Where(a => a.Action == "ActivationCodeResent").Select(a => a.Detail));

        // The codes sent before the last one no longer activate; the last one does.
        Assert.Contains("4 attempt(s) left", await alice.EnterCodeAsync(first), StringComparison.Ordinal);
        Assert.Contains("3 attempt(s) left", await alice.EnterCodeAsync(sent[1]), StringComparison.Ordinal);
        Assert.Equal("SMS text message is active. You can sign in with it now.", await alice.EnterCodeAsync(sent[2]));
        var done = await host.WaitForAsync(r => r.State == RequestState.Completed, "the activated request");
        Assert.Null(done.Factor.PhoneNumber);
        Assert.Equal("ACTIVE", Assert.Single(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!).Status);

        var card = await alice.WaitForMessageAsync(activationTs, m => m.AllText.Contains("Done: SMS text message is active", StringComparison.Ordinal), "the activation message done");
        Assert.Empty(SlackRecovery.Buttons(card));
        await alice.AssertNowhereButOktaAsync([.. sent.Distinct()]);
        Assert.DoesNotContain(slack.Calls, c => c.AllText.Contains("4155554567", StringComparison.Ordinal) || c.AllText.Contains("555 4567", StringComparison.Ordinal));
        Assert.DoesNotContain("4155554567", host.Logs.AllText, StringComparison.Ordinal);
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task Expired_activation_deletes_the_factor_tells_everyone_and_an_approvers_retry_finishes_it()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var clock = new ShiftedClock();
        using var host = new SlackTestHost(slack, FastWatch, s => s.AddSingleton<TimeProvider>(clock));
        var alice = await SlackRecovery.EnrolAsync(host, "token:software:totp", "GOOGLE");
        var firstFactor = alice.Request.Result!.FactorId;
        var firstKeyTs = alice.KeyMessage.Answer["ts"]!.GetValue<string>();
        var firstSecret = alice.Secret!;
        var firstFile = alice.FileId;
        var activationTs = alice.ActivationTs;
        var statusTs = alice.StatusTs;
        Assert.Contains("Finish by", alice.Latest(activationTs).AllText, StringComparison.Ordinal);

        clock.MoveForward(TimeSpan.FromMinutes(31)); // Activation:Timeout is 30 minutes

        var ended = await host.WaitForAsync(r => r.State == RequestState.ActivationFailed, "the expired activation");
        Assert.Equal("the activation expired before the factor was activated", ended.ActivationEndedBecause);
        Assert.Contains(host.Okta.Requests, r => r.OperationId == "unenrollFactor" && r.Path.EndsWith("/factors/" + firstFactor, StringComparison.Ordinal));
        Assert.Empty(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        await Eventually.WaitUntilAsync(() => alice.ThreadLines.Contains("Activation stopped: the activation expired before the factor was activated. Removing the pending factor from Okta."),
            "the thread says the activation ended");
        var keyNow = await alice.WaitForMessageAsync(firstKeyTs, m => m.AllText.Contains("Setup key removed because the activation ended", StringComparison.Ordinal), "the key removed");
        Assert.DoesNotContain(firstSecret, keyNow.AllText, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("files.delete").Any(c => c.Body["file"]!.GetValue<string>() == firstFile), "the QR file deleted");
        var card = await alice.WaitForMessageAsync(activationTs, m => m.AllText.Contains("The setup did not finish: the activation expired", StringComparison.Ordinal),
            "the activation message ended");
        Assert.DoesNotContain(SlackRecovery.Buttons(card), b => b.ActionId is "enterCode" or "activate");
        Assert.DoesNotContain("Finish by", card.AllText, StringComparison.Ordinal);
        var status = await alice.WaitForMessageAsync(statusTs, m => m.AllText.Contains("Activation expired or stopped", StringComparison.Ordinal), "the status message");
        Assert.Equal("chat.update", status.Method);
        await alice.WaitForMessageAsync(alice.ApprovalTs, m => SlackRecovery.Buttons(m).Any(b => b.ActionId == "retry"), "the Retry button");
        var audit = await host.Store.AuditTrailAsync(alice.Request.Id, TestContext.Current.CancellationToken);
        Assert.Contains(audit, a => a.Action == "ActivationStopped" && a.Detail == "the activation expired before the factor was activated");

        // A code typed now, with the right key, is refused without asking Okta.
        Assert.Contains("activation has ended", await alice.SubmitCodeAsync(SandboxTotp.Code(firstSecret, clock.GetUtcNow())), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "activateFactor");

        // Bob retries (he approved; the approval is done, a retry is his to make as well): enrol again, then activate.
        await alice.ClickAsync("UBOB", "retry", SlackTestHost.SupportChannel, alice.ApprovalTs);
        await alice.WaitForEnrolmentAsync(2);
        Assert.Single(alice.OktaOperations, o => o == "resetFactors");
        var right = alice.TotpCode();
        Assert.Contains("is active", await alice.EnterCodeAsync(right), StringComparison.Ordinal);
        await host.WaitForAsync(r => r.State == RequestState.Completed, "the activated request");
        Assert.Equal(alice.Request.Result!.FactorId, Assert.Single(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!, f => f.Status == "ACTIVE").Id);
        Assert.Single(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        await alice.AssertNowhereButOktaAsync(right);
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task Okta_Verify_scan_approved_on_the_device_completes_the_request()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, FastWatch);
        var alice = await SlackRecovery.EnrolAsync(host, "push", "OKTA");
        var factorId = alice.Request.Result!.FactorId;
        var activationTs = alice.ActivationTs;
        var waiting = alice.Latest(activationTs);
        Assert.Contains("Waiting for Okta Verify", waiting.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(SlackRecovery.Buttons(waiting), b => b.ActionId is "enterCode" or "resendCode");
        Assert.Equal(SlackRecovery.Dm, slack.CallsTo("files.completeUploadExternal").Single().Body["channel_id"]!.GetValue<string>());
        Assert.Contains(host.Okta.PendingPushActivations, p => p.UserId == OktaSandboxSeed.AliceId && p.FactorId == factorId);

        Assert.True(host.Okta.ApprovePushActivation(OktaSandboxSeed.AliceId, factorId));

        await host.WaitForAsync(r => r.State == RequestState.Completed, "the activated request");
        Assert.Contains(host.Okta.Requests, r => r.OperationId == "activateFactor" && r.Path.EndsWith($"/factors/{factorId}/lifecycle/activate", StringComparison.Ordinal));
        var card = await alice.WaitForMessageAsync(activationTs, m => m.AllText.Contains("Done: Okta Verify (push) is active", StringComparison.Ordinal), "the activation message done");
        Assert.Empty(SlackRecovery.Buttons(card));
        await alice.WaitForMessageAsync(alice.KeyMessage.Answer["ts"]!.GetValue<string>(),
            m => m.AllText.Contains("Setup key removed after activation", StringComparison.Ordinal), "the QR message replaced");
        await Eventually.WaitUntilAsync(() => slack.CallsTo("files.delete").Any(c => c.Body["file"]!.GetValue<string>() == alice.FileId), "the QR file deleted");
        await Eventually.WaitUntilAsync(() => alice.ThreadLines.Any(l => l.StartsWith("Activated: Okta Verify (push)", StringComparison.Ordinal)), "the thread's Activated line");
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "unenrollFactor");
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task Okta_Verify_setup_link_by_email_or_sms_from_the_slack_buttons_is_bounded()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var settings = new Dictionary<string, string?>(FastWatch) { ["Activation:MaxResends"] = "2" };
        using var host = new SlackTestHost(slack, settings);
        var alice = await SlackRecovery.EnrolAsync(host, "push", "OKTA");
        var activationTs = alice.ActivationTs;
        Assert.Equal([("sendActivationLink", "Email me the setup link"), ("textActivationLink", "Text me the setup link")],
            SlackRecovery.Buttons(alice.Latest(activationTs)));

        Assert.Equal("Okta is emailing you its Okta Verify setup link. Open it on your new phone.", await alice.ClickForNoticeAsync("sendActivationLink"));
        Assert.Equal("Okta is texting you its Okta Verify setup link. Open it on your new phone.", await alice.ClickForNoticeAsync("textActivationLink"));

        var links = host.Okta.Inbox.Where(m => m.UserId == OktaSandboxSeed.AliceId).ToList();
        Assert.Equal(["email", "sms"], links.Select(m => m.Channel));
        Assert.All(links, m => Assert.Contains("activation link", m.Text, StringComparison.Ordinal));
        // The SMS goes to the phone in Alice's Okta profile, never to a number typed in chat.
        Assert.Equal(PhoneMaskingOf("+14155550101"), links[1].Destination);
        var card = await alice.WaitForMessageAsync(activationTs, m => m.Body["ts"] is not null && SlackRecovery.Buttons(m).Count == 0, "the link buttons gone");
        Assert.Contains("Waiting for Okta Verify", card.AllText, StringComparison.Ordinal);
        Assert.Contains("new code was already sent 2 time(s)", await alice.ClickForNoticeAsync("sendActivationLink"), StringComparison.Ordinal);
        Assert.Equal(2, host.Okta.Inbox.Count(m => m.UserId == OktaSandboxSeed.AliceId));
        var audit = await host.Store.AuditTrailAsync(alice.Request.Id, TestContext.Current.CancellationToken);
        Assert.Equal(2, audit.Count(a => a.Action == "ActivationCodeResent"));
        Assert.DoesNotContain(slack.Calls, c => c.AllText.Contains("4155550101", StringComparison.Ordinal));
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task Okta_Verify_scan_cancelled_on_the_device_ends_the_activation_and_deletes_the_factor()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, FastWatch);
        var alice = await SlackRecovery.EnrolAsync(host, "push", "OKTA");
        var factorId = alice.Request.Result!.FactorId;

        Assert.True(host.Okta.RejectPushActivation(OktaSandboxSeed.AliceId, factorId));

        var ended = await host.WaitForAsync(r => r.State == RequestState.ActivationFailed, "the ended activation");
        Assert.Equal("the Okta Verify activation was rejected on the device", ended.ActivationEndedBecause);
        Assert.Contains(host.Okta.Requests, r => r.OperationId == "unenrollFactor" && r.Path.EndsWith("/factors/" + factorId, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!, f => f.Id == factorId);
        await Eventually.WaitUntilAsync(() => alice.ThreadLines.Any(l => l == "Activation stopped: the Okta Verify activation was rejected on the device. Removing the pending factor from Okta."),
            "the thread says the activation ended");
        await alice.WaitForMessageAsync(alice.KeyMessage.Answer["ts"]!.GetValue<string>(),
            m => m.AllText.Contains("Setup key removed because the activation ended", StringComparison.Ordinal), "the QR message replaced");
        await Eventually.WaitUntilAsync(() => slack.CallsTo("files.delete").Any(c => c.Body["file"]!.GetValue<string>() == alice.FileId), "the QR file deleted");
        var card = await alice.WaitForMessageAsync(alice.ActivationTs, m => m.AllText.Contains("The setup did not finish", StringComparison.Ordinal), "the activation message ended");
        Assert.Empty(SlackRecovery.Buttons(card));
        await alice.WaitForMessageAsync(alice.ApprovalTs, m => SlackRecovery.Buttons(m).Any(b => b.ActionId == "retry"), "the Retry button");
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task Only_the_owner_types_codes_and_a_repeated_submission_counts_once()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, FastWatch);
        var alice = await SlackRecovery.EnrolAsync(host, "sms", "OKTA", "+1 415 555 4567");
        var code = CodeIn(Assert.Single(host.Okta.Inbox, m => m.UserId == OktaSandboxSeed.AliceId));

        // Mallory (anyone) and Bob (the approver) submit Alice's request with the right code, and ask for a new one.
        foreach (var (user, n) in new[] { ("UMALLORY", 1), ("UBOB", 2) })
        {
            await host.InteractAsync(SlackPayloads.CodeSubmission(user, "VSTRANGER" + n, alice.Request.Id, code));
            await host.InteractAsync(SlackPayloads.Click(user, "resendCode", alice.Request.Id, "D" + user[1..], alice.ActivationTs, "8" + n + ".1"));
            await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postEphemeral").Count(c => c.Body["user"]!.GetValue<string>() == user) == 2, $"{user}'s refusals");
            Assert.All(slack.CallsTo("chat.postEphemeral").Where(c => c.Body["user"]!.GetValue<string>() == user), c =>
            {
                Assert.Equal("D" + user[1..], c.Channel);
                Assert.Contains("Only the person", c.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
            });
        }

        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId is "activateFactor" or "resendEnrollFactor");
        var untouched = (await host.Store.FindAsync(alice.Request.Id, TestContext.Current.CancellationToken))!;
        Assert.Equal((RequestState.AwaitingActivation, 0, 0), (untouched.State, untouched.CodesTried, untouched.CodesResent));

        // Slack delivers Alice's submission twice (a retry of the same view): Okta is asked once, one attempt is counted.
        var wrong = code == "314159" ? "271828" : "314159";
        var submission = SlackPayloads.CodeSubmission(SlackRecovery.Owner, "VTWICE", alice.Request.Id, wrong);
        await host.InteractAsync(submission);
        await host.InteractAsync(submission, retryNum: 1);
        await Eventually.WaitUntilAsync(() => alice.Notices.Count == 1, "the answer");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(alice.Notices);
        Assert.Single(host.Okta.Requests, r => r.OperationId == "activateFactor");
        Assert.Equal(1, (await host.Store.FindAsync(alice.Request.Id, TestContext.Current.CancellationToken))!.CodesTried);

        Assert.Equal("SMS text message is active. You can sign in with it now.", await alice.EnterCodeAsync(code));
        await host.WaitForAsync(r => r.State == RequestState.Completed, "the activated request");
        await alice.AssertNowhereButOktaAsync(code, wrong);
    }

    private static string PhoneMaskingOf(string phone) => ChatOpsMfa.Cards.PhoneMasking.Mask(phone);

    private static string CodeIn(SandboxInboxMessage message) =>
        System.Text.RegularExpressions.Regex.Match(message.Text, @"\b\d{6}\b").Value;
}
