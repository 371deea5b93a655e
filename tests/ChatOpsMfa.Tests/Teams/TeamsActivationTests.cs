using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Cards;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ChatOpsMfa.Tests.Teams.TeamsActivationSteps;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The new factor is activated in Teams: the key card (setup key, QR code), the activation card whose code goes to
/// Okta, wrong codes, resend, expiry, Retry and Okta Verify. Everything goes through <c>/api/messages</c> with signed
/// activities, and what Teams would show is read back from the fake Connector (each activity as it now stands).
/// </summary>
public sealed class TeamsActivationTests : TeamsFakeTests
{
    [Fact]
    public async Task The_right_TOTP_code_from_the_key_card_activates_the_factor_and_every_card_shows_the_ending()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await EnrolledAsync(host, Totp);
        var statusId = request.StatusMessage!.MessageId;

        // The key card went to Alice's 1:1 chat: the setup key, and a QR picture inline that holds the same key.
        var keyCall = Fake.Current(request.KeyMessage!.MessageId)!;
        Assert.Equal($"/v3/conversations/{Alice.PersonalConversationId}/activities", keyCall.Path);
        var keyCard = TeamsCalls.CardOf(keyCall)!;
        AdaptiveCardSchema.Validate(keyCard);
        var secret = CardText.SetupKey(keyCard)!;
        Assert.DoesNotContain(secret, keyCall.Json["text"]!.GetValue<string>(), StringComparison.Ordinal); // notifications show the text
        var image = Assert.Single(CardText.OfType(keyCard, "Image"))["url"]!.GetValue<string>();
        Assert.StartsWith("data:image/png;base64,", image, StringComparison.Ordinal);
        var otpauth = PngTestReader.DecodeQr(Convert.FromBase64String(image["data:image/png;base64,".Length..]));
        Assert.StartsWith("otpauth://totp/", otpauth, StringComparison.Ordinal);
        Assert.Contains("secret=" + secret.TrimEnd('='), otpauth, StringComparison.Ordinal);

        // The activation card takes the code in an Input.Text and sends it with an Action.Execute "activate".
        var activationCard = CardNow(host, request.ActivationMessage!);
        AdaptiveCardSchema.Validate(activationCard);
        Assert.Equal("passCode", Assert.Single(CardText.OfType(activationCard, "Input.Text"))["id"]!.GetValue<string>());
        var activate = Assert.Single(CardText.OfType(activationCard, "Action.Execute"), a => a["verb"]!.GetValue<string>() == "activate");
        Assert.Equal(request.Id, activate["data"]!["requestId"]!.GetValue<string>());

        var code = TotpCode(host, secret);
        var answer = await EnterCodeAsync(host, request, code);

        // The clicker's card is the activation card as it now stands (no input left), and the notice follows 1:1.
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
        var answered = answer["value"]!.AsObject();
        AdaptiveCardSchema.Validate(answered);
        Assert.Contains(CardText.AllStrings(answered), t => t.Contains("is active", StringComparison.Ordinal));
        Assert.Empty(CardText.OfType(answered, "Input.Text"));
        await Eventually.WaitUntilAsync(() => Sends(host, Alice.PersonalConversationId)
            .Any(c => c.Json["text"]?.GetValue<string>().Contains("is active. You can sign in with it now.", StringComparison.Ordinal) == true), "the notice");

        var done = await WaitForStateAsync(host, request.Id, RequestState.Completed);
        Assert.Equal("ACTIVE", Assert.Single(Sandbox(host).FactorsOf(done.Target.OktaUserId)!).Status);
        await OutboxSettledAsync(host);

        // Nothing of the key is left at the Connector: the key card was replaced in place, without key or picture.
        var keyNow = Fake.Current(request.KeyMessage!.MessageId)!;
        Assert.Equal("PUT", keyNow.Method);
        Assert.Contains(CardText.AllStrings(TeamsCalls.CardOf(keyNow)), t => t.Contains("Setup key removed after activation", StringComparison.Ordinal));
        Assert.DoesNotContain(secret, keyNow.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", keyNow.Body, StringComparison.Ordinal);
        Assert.False(Fake.WasDeleted(request.KeyMessage!.MessageId));
        Assert.Null((await host.Store.FindAsync(request.Id, CancellationToken.None))!.KeyMessage); // removed: nothing left to remove

        // Everyone sees the ending: the approval card, the thread, the activation card and Alice's status card,
        // each updated in place (PUT to the activity it was posted as).
        var approvalNow = Fake.Current(done.ApprovalMessage!.MessageId)!;
        Assert.Equal("PUT", approvalNow.Method);
        Assert.Contains(CardText.AllStrings(TeamsCalls.CardOf(approvalNow)), t => t.Contains("activated", StringComparison.Ordinal));
        Assert.Contains(ThreadLines(host, done), l => l.StartsWith("Activated:", StringComparison.Ordinal) && l.Contains(done.Result!.FactorId, StringComparison.Ordinal));
        Assert.Contains(CardText.AllStrings(CardNow(host, done.ActivationMessage!)), t => t.Contains("is active", StringComparison.Ordinal));
        Assert.Equal(statusId, done.StatusMessage!.MessageId);
        var statusNow = Fake.Current(statusId)!;
        Assert.Equal("PUT", statusNow.Method);
        Assert.Contains(CardText.AllStrings(TeamsCalls.CardOf(statusNow)), t => t.StartsWith("Completed", StringComparison.Ordinal));

        // The audit has the activation, never the key or the code; the support channel never saw the key.
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "Activated");
        Assert.DoesNotContain(audit, a => (a.Detail ?? "").Contains(code, StringComparison.Ordinal) || (a.Detail ?? "").Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(Fake.ConnectorCalls, c => c.Path.Contains(SupportChannelId, StringComparison.Ordinal) && c.Body.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_code_is_refused_the_card_shows_the_attempts_left_and_the_request_still_waits()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await EnrolledAsync(host, Totp);
        var wrong = WrongCode(host, CardText.SetupKey(CardNow(host, request.KeyMessage!))!);

        var answer = await EnterCodeAsync(host, request, wrong);

        var card = answer["value"]!.AsObject();
        Assert.Equal("Code (4 attempt(s) left)", Assert.Single(CardText.OfType(card, "Input.Text"))["label"]!.GetValue<string>());
        await Eventually.WaitUntilAsync(() => Sends(host, Alice.PersonalConversationId).Any(c =>
            c.Json["text"]?.GetValue<string>() is { } text && text.Contains("did not match", StringComparison.Ordinal)
            && text.Contains("4 attempt(s) left", StringComparison.Ordinal)), "the notice");
        var stored = await host.Store.FindAsync(request.Id, CancellationToken.None);
        Assert.Equal(RequestState.AwaitingActivation, stored!.State);
        Assert.Equal(1, stored.CodesTried);
        Assert.Single(Sandbox(host).Requests, r => r.Method == "POST" && r.Path.EndsWith("/lifecycle/activate", StringComparison.Ordinal));

        // The activation card was updated in place for the attempts left; the thread and the audit say a code was wrong.
        await OutboxSettledAsync(host);
        Assert.Equal("Code (4 attempt(s) left)", Assert.Single(CardText.OfType(CardNow(host, request.ActivationMessage!), "Input.Text"))["label"]!.GetValue<string>());
        Assert.Contains(ThreadLines(host, stored), l => l.StartsWith("A wrong activation code was entered", StringComparison.Ordinal));
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "CodeRejected");
        Assert.DoesNotContain(audit, a => (a.Detail ?? "").Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Five_wrong_codes_stop_the_card_and_an_approvers_Retry_enrols_again_without_a_second_reset()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await EnrolledAsync(host, Totp);
        var firstFactor = request.Result!.FactorId;
        var wrong = WrongCode(host, CardText.SetupKey(CardNow(host, request.KeyMessage!))!);

        JsonObject answer = [];
        for (var i = 1; i <= 5; i++)
        {
            answer = await EnterCodeAsync(host, request, wrong);
            if (i < 5)
            {
                Assert.Equal($"Code ({5 - i} attempt(s) left)", Assert.Single(CardText.OfType(answer["value"], "Input.Text"))["label"]!.GetValue<string>());
            }
        }

        // The fifth wrong code: the card takes no more codes, the pending factor is deleted in Okta.
        Assert.Empty(CardText.OfType(answer["value"], "Input.Text"));
        Assert.DoesNotContain(CardText.OfType(answer["value"], "Action.Execute"), a => a["verb"]!.GetValue<string>() == "activate");
        var failed = await WaitForStateAsync(host, request.Id, RequestState.ActivationFailed);
        Assert.DoesNotContain(Sandbox(host).FactorsOf(failed.Target.OktaUserId)!, f => f.Id == firstFactor);
        await OutboxSettledAsync(host);
        Assert.Empty(CardText.OfType(CardNow(host, failed.ActivationMessage!), "Input.Text"));
        var keyNow = Fake.Current(request.KeyMessage!.MessageId)!;
        Assert.Contains(CardText.AllStrings(TeamsCalls.CardOf(keyNow)), t => t.Contains("Setup key removed because the activation ended", StringComparison.Ordinal));
        Assert.DoesNotContain("data:image", keyNow.Body, StringComparison.Ordinal);

        // A sixth code is refused before Okta sees it: chat is no place to guess codes.
        await EnterCodeAsync(host, failed, wrong);
        Assert.Equal(5, Sandbox(host).Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/lifecycle/activate", StringComparison.Ordinal)));

        // Bob's view of the approval card offers Retry; it enrols again, without a second reset.
        var bobView = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), "refreshCard",
            new JsonObject { ["verb"] = "refreshCard", ["requestId"] = request.Id }, host.ServiceUrl, failed.ApprovalMessage!.MessageId, trigger: "automatic"));
        Assert.Contains(CardText.OfType(bobView["value"], "Action.Execute"), a => a["verb"]!.GetValue<string>() == "retry");
        await ApproverClickAsync(host, failed, "retry");
        var again = await WaitForAsync(host, request.Id, r => r.State == RequestState.AwaitingActivation
            && r.Result?.FactorId is { } factorId && factorId != firstFactor
            && r.KeyMessage?.MessageId is { } keyId && keyId != request.KeyMessage!.MessageId, "the new enrolment's key card");

        Assert.Single(Sandbox(host).Requests, r => r.Method == "POST" && r.Path.EndsWith("/lifecycle/reset_factors", StringComparison.Ordinal));
        Assert.Equal(2, Sandbox(host).Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/factors", StringComparison.Ordinal)));
        var factor = Assert.Single(Sandbox(host).FactorsOf(again.Target.OktaUserId)!);
        Assert.Equal((again.Result!.FactorId, "PENDING_ACTIVATION"), (factor.Id, factor.Status));

        // The new key works, and the card takes codes again.
        var newSecret = CardText.SetupKey(CardNow(host, again.KeyMessage!))!;
        await EnterCodeAsync(host, again, TotpCode(host, newSecret));
        var done = await WaitForStateAsync(host, request.Id, RequestState.Completed);
        Assert.Equal("ACTIVE", Assert.Single(Sandbox(host).FactorsOf(done.Target.OktaUserId)!).Status);
    }

    [Fact]
    public async Task A_new_SMS_code_is_sent_through_Okta_and_the_code_from_the_inbox_activates_the_factor()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = new TeamsTestHost(Fake, clock: clock);
        var request = await EnrolledAsync(host, Form("sms|OKTA", "+1 415 555 4567"));
        var inbox = Sandbox(host).Inbox.Where(m => m.UserId == request.Target.OktaUserId).ToList();
        Assert.Equal("sms", Assert.Single(inbox).Channel);

        // The activation card offers a new code; Okta allows one SMS per phone every 30 seconds.
        Assert.Contains(CardText.OfType(CardNow(host, request.ActivationMessage!), "Action.Execute"), a => a["verb"]!.GetValue<string>() == "resendCode");
        clock.Advance(TimeSpan.FromSeconds(31));
        var resent = await ResendAsync(host, request);

        Assert.Equal("application/vnd.microsoft.card.adaptive", resent["type"]!.GetValue<string>());
        Assert.Single(CardText.OfType(resent["value"], "Input.Text"));
        await Eventually.WaitUntilAsync(() => Sends(host, Alice.PersonalConversationId).Any(c =>
            c.Json["text"]?.GetValue<string>().Contains("Okta is sending a new code", StringComparison.Ordinal) == true), "the notice");
        var messages = Sandbox(host).Inbox.Where(m => m.UserId == request.Target.OktaUserId).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Contains(await host.Store.AuditTrailAsync(request.Id, CancellationToken.None), a => a.Action == "ActivationCodeResent");

        var code = Regex.Match(messages[^1].Text, @"\b\d{6}\b").Value;
        await EnterCodeAsync(host, request, code);
        var done = await WaitForStateAsync(host, request.Id, RequestState.Completed);
        Assert.Equal("ACTIVE", Assert.Single(Sandbox(host).FactorsOf(done.Target.OktaUserId)!).Status);

        // The phone number is shown masked, never whole, and no code reached the chat.
        await OutboxSettledAsync(host);
        Assert.DoesNotContain(Fake.ConnectorCalls, c => c.Body.Contains("4155554567", StringComparison.Ordinal)
            || c.Body.Contains("415 555 4567", StringComparison.Ordinal) || c.Body.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_activation_deletes_the_factor_removes_the_key_and_an_approvers_Retry_enrols_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = new TeamsTestHost(Fake, clock: clock);
        var request = await EnrolledAsync(host, Totp);
        var firstFactor = request.Result!.FactorId;
        var secret = CardText.SetupKey(CardNow(host, request.KeyMessage!))!;

        clock.Advance(TimeSpan.FromMinutes(31)); // Activation:Timeout is 30 minutes
        await host.Services.GetRequiredService<ResetWorkflowService>().WatchActivationsAsync(CancellationToken.None);
        var failed = await WaitForStateAsync(host, request.Id, RequestState.ActivationFailed);
        await OutboxSettledAsync(host);

        Assert.DoesNotContain(Sandbox(host).FactorsOf(failed.Target.OktaUserId)!, f => f.Id == firstFactor);
        Assert.Contains(Sandbox(host).Requests, r => r.Method == "DELETE" && r.Path.EndsWith("/factors/" + firstFactor, StringComparison.Ordinal));
        var keyNow = Fake.Current(request.KeyMessage!.MessageId)!;
        Assert.Contains(CardText.AllStrings(TeamsCalls.CardOf(keyNow)), t => t.Contains("Setup key removed because the activation ended", StringComparison.Ordinal));
        Assert.DoesNotContain(secret, keyNow.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("data:image", keyNow.Body, StringComparison.Ordinal);
        var activationNow = CardNow(host, failed.ActivationMessage!);
        Assert.Empty(CardText.OfType(activationNow, "Input.Text"));
        Assert.Contains(CardText.AllStrings(activationNow), t => t.StartsWith("The setup did not finish", StringComparison.Ordinal));
        Assert.Contains(ThreadLines(host, failed), l => l.StartsWith("Activation stopped:", StringComparison.Ordinal));
        Assert.Contains(ThreadLines(host, failed), l => l.Contains($"{firstFactor} was deleted in Okta", StringComparison.Ordinal));
        Assert.Contains(CardText.AllStrings(CardNow(host, failed.ApprovalMessage!)), t => t.Contains("Activation expired or stopped", StringComparison.Ordinal));
        Assert.Contains(CardText.AllStrings(CardNow(host, failed.StatusMessage!)), t => t.Contains("Activation expired or stopped", StringComparison.Ordinal));

        await ApproverClickAsync(host, failed, "retry");
        var again = await WaitForAsync(host, request.Id, r => r.State == RequestState.AwaitingActivation
            && r.Result?.FactorId is { } factorId && factorId != firstFactor
            && r.KeyMessage?.MessageId is { } keyId && keyId != request.KeyMessage!.MessageId, "the new enrolment's key card");
        Assert.Single(Sandbox(host).Requests, r => r.Method == "POST" && r.Path.EndsWith("/lifecycle/reset_factors", StringComparison.Ordinal));
        Assert.Equal(again.Result!.FactorId, Assert.Single(Sandbox(host).FactorsOf(again.Target.OktaUserId)!).Id);
        var newSecret = CardText.SetupKey(CardNow(host, again.KeyMessage!))!;
        Assert.NotEqual(secret, newSecret);
        await EnterCodeAsync(host, again, TotpCode(host, newSecret));
        await WaitForStateAsync(host, request.Id, RequestState.Completed);
    }

    [Fact]
    public async Task An_Okta_Verify_activation_approved_on_the_device_completes_the_request_and_removes_the_QR_code()
    {
        using var host = new TeamsTestHost(Fake, new Dictionary<string, string?> { ["Activation:PollInterval"] = "00:00:00.200" });
        var request = await EnrolledAsync(host, Form("push|OKTA"));

        // Okta's activation QR code is inline in the key card; the activation card takes no code, it waits.
        var keyCard = CardNow(host, request.KeyMessage!);
        Assert.StartsWith("data:image/png;base64,", Assert.Single(CardText.OfType(keyCard, "Image"))["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(CardText.OfType(CardNow(host, request.ActivationMessage!), "Input.Text"));
        var pending = Assert.Single(Sandbox(host).PendingPushActivations, p => p.FactorId == request.Result!.FactorId);

        Assert.True(Sandbox(host).ApprovePushActivation(pending.UserId, pending.FactorId));
        var done = await WaitForStateAsync(host, request.Id, RequestState.Completed);
        await OutboxSettledAsync(host);

        var keyNow = Fake.Current(request.KeyMessage!.MessageId)!;
        Assert.Contains(CardText.AllStrings(TeamsCalls.CardOf(keyNow)), t => t.Contains("Setup key removed after activation", StringComparison.Ordinal));
        Assert.DoesNotContain("data:image", keyNow.Body, StringComparison.Ordinal);
        Assert.Contains(CardText.AllStrings(CardNow(host, done.ActivationMessage!)), t => t.Contains("is active", StringComparison.Ordinal));
        Assert.Contains(ThreadLines(host, done), l => l.StartsWith("Activated:", StringComparison.Ordinal));
        Assert.Contains(CardText.AllStrings(CardNow(host, done.ApprovalMessage!)), t => t.StartsWith("Completed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_Okta_Verify_activation_rejected_on_the_device_says_so_in_the_thread_and_deletes_the_factor()
    {
        using var host = new TeamsTestHost(Fake, new Dictionary<string, string?> { ["Activation:PollInterval"] = "00:00:00.200" });
        var request = await EnrolledAsync(host, Form("push|OKTA"));
        var pending = Assert.Single(Sandbox(host).PendingPushActivations, p => p.FactorId == request.Result!.FactorId);

        Assert.True(Sandbox(host).RejectPushActivation(pending.UserId, pending.FactorId));
        var failed = await WaitForStateAsync(host, request.Id, RequestState.ActivationFailed);
        await OutboxSettledAsync(host);

        Assert.Contains(ThreadLines(host, failed), l => l.StartsWith("Activation stopped:", StringComparison.Ordinal)
            && l.Contains("activation was rejected", StringComparison.Ordinal));
        Assert.DoesNotContain(Sandbox(host).FactorsOf(failed.Target.OktaUserId)!, f => f.Id == pending.FactorId);
        Assert.Contains(CardText.AllStrings(CardNow(host, failed.ActivationMessage!)), t => t.Contains("activation was rejected", StringComparison.Ordinal));
        var keyNow = Fake.Current(request.KeyMessage!.MessageId)!;
        Assert.Contains(CardText.AllStrings(TeamsCalls.CardOf(keyNow)), t => t.Contains("Setup key removed because the activation ended", StringComparison.Ordinal));
        Assert.DoesNotContain("data:image", keyNow.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_typed_in_Teams_never_reaches_a_log_line_or_an_audit_row()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await EnrolledAsync(host, Totp);
        var secret = CardText.SetupKey(CardNow(host, request.KeyMessage!))!;
        var wrong = WrongCode(host, secret);
        var linesBefore = host.LogLines.Count();

        await EnterCodeAsync(host, request, wrong);
        var right = TotpCode(host, secret);
        await EnterCodeAsync(host, request, right);
        var done = await WaitForStateAsync(host, request.Id, RequestState.Completed);
        await OutboxSettledAsync(host);

        // Only what these two clicks caused: the invokes, Okta's calls, the outbox's deliveries.
        var lines = host.LogLines.Skip(linesBefore).ToList();
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains(wrong, StringComparison.Ordinal) || l.Contains(right, StringComparison.Ordinal));
        Assert.DoesNotContain(host.LogLines, l => l.Contains(secret, StringComparison.Ordinal));
        var audit = await host.Store.AuditTrailAsync(done.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "CodeRejected");
        Assert.DoesNotContain(audit, a => (a.Detail ?? "").Contains(wrong, StringComparison.Ordinal) || (a.Detail ?? "").Contains(right, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Someone_else_sending_a_code_for_Alices_request_is_refused_before_Okta_sees_it()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await EnrolledAsync(host, Totp);
        var code = TotpCode(host, CardText.SetupKey(CardNow(host, request.KeyMessage!))!);
        Sandbox(host).ClearRequests();

        // Bob, in his own 1:1 chat, and Bob in the support channel, each with Alice's request id and the right code.
        var fromBob = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Personal(Bob), "activate",
            new JsonObject { ["verb"] = "activate", ["requestId"] = request.Id, ["passCode"] = code }, host.ServiceUrl));
        var inChannel = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), "activate",
            new JsonObject { ["verb"] = "activate", ["requestId"] = request.Id, ["passCode"] = code }, host.ServiceUrl));

        // Neither gets Alice's activation card, Okta is not asked, and no attempt is counted.
        Assert.Equal("application/vnd.microsoft.activity.message", fromBob["type"]!.GetValue<string>());
        Assert.Equal("application/vnd.microsoft.activity.message", inChannel["type"]!.GetValue<string>());
        Assert.Contains("private chat", inChannel["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(Sandbox(host).Requests, r => r.Path.EndsWith("/lifecycle/activate", StringComparison.Ordinal));
        var stored = await host.Store.FindAsync(request.Id, CancellationToken.None);
        Assert.Equal((RequestState.AwaitingActivation, 0), (stored!.State, stored.CodesTried));
    }

    [Fact]
    public async Task An_older_client_sends_the_code_with_the_Action_Submit_fallback_as_a_message_value()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await EnrolledAsync(host, Totp);
        var code = TotpCode(host, CardText.SetupKey(CardNow(host, request.KeyMessage!))!);

        // Action.Submit: a message with no text, value = the action's data merged with the inputs, replyToId = the card.
        var submit = TeamsActivities.PersonalMessage(Alice, "", host.ServiceUrl);
        submit.Remove("text");
        submit["value"] = new JsonObject { ["verb"] = "activate", ["requestId"] = request.Id, ["passCode"] = code };
        submit["replyToId"] = request.ActivationMessage!.MessageId;
        using (var response = await host.SendSignedAsync(submit, Fake.BotFrameworkKeys[0]))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        await WaitForStateAsync(host, request.Id, RequestState.Completed);
        await Eventually.WaitUntilAsync(() => Sends(host, Alice.PersonalConversationId).Any(c =>
            c.Json["text"]?.GetValue<string>().Contains("is active", StringComparison.Ordinal) == true), "the notice");
    }

    /// <summary>
    /// Okta takes its time over the code: Teams still gets its answer within the invoke deadline, and that answer is the
    /// activation card as it stands, not the status card, so the card Alice typed into does not turn into another one.
    /// </summary>
    [Fact]
    public async Task A_code_Okta_is_slow_to_check_is_answered_in_time_with_the_activation_card()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await EnrolledAsync(host, Totp);
        var code = TotpCode(host, CardText.SetupKey(CardNow(host, request.KeyMessage!))!);
        Sandbox(host).DelayNext(TeamsDispatcherDeadline + TimeSpan.FromSeconds(2), "activateFactor");

        var answer = await EnterCodeAsync(host, request, code);

        var card = answer["value"]!.AsObject();
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
        Assert.Contains(CardText.AllStrings(card), t => t.StartsWith("Finish setting up", StringComparison.Ordinal));
        Assert.Single(CardText.OfType(card, "Input.Text"));
        await WaitForStateAsync(host, request.Id, RequestState.Completed);
        await Eventually.WaitUntilAsync(() => Sends(host, Alice.PersonalConversationId).Any(c =>
            c.Json["text"]?.GetValue<string>().Contains("is active", StringComparison.Ordinal) == true), "the notice");
    }

    private static TimeSpan TeamsDispatcherDeadline => ChatOpsMfa.Channels.Teams.TeamsActivityDispatcher.AnswerWithin;

    /// <summary>Six digits that are none of the codes Okta accepts now (the current step and one either side).</summary>
    private static string WrongCode(TeamsTestHost host, string secret)
    {
        var now = host.Clock.GetUtcNow();
        var accepted = new[] { -30, 0, 30 }.Select(s => ChatOpsMfa.Okta.Sandbox.SandboxTotp.Code(secret, now.AddSeconds(s))).ToHashSet();
        return new[] { "271828", "314159", "161803", "141421" }.First(c => !accepted.Contains(c));
    }
}
