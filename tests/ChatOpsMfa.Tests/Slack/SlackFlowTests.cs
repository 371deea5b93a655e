using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>The whole recovery through the real Slack endpoints, signed, against the fake Web API and the Okta sandbox.</summary>
public sealed class SlackFlowTests
{
    [Fact]
    public async Task Command_modal_submission_approval_thread_update_and_private_result()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        // 1. /mfa-reset is acknowledged empty and opens the modal with the trigger id.
        var command = await host.CommandAsync("UALICE", "trigger-1");
        Assert.Equal(HttpStatusCode.OK, command.StatusCode);
        Assert.Equal("", await command.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.open").Any(), "views.open");
        var open = slack.CallsTo("views.open").Single();
        Assert.True(open.Ok, open.Answer.ToJsonString());
        Assert.Equal("trigger-1", open.Body["trigger_id"]!.GetValue<string>());
        var blocks = open.Body["view"]!["blocks"]!.AsArray();
        var selects = blocks.Where(b => b?["element"]?["type"]?.GetValue<string>() == "static_select").ToList();
        Assert.Equal(["factorType", "provider"], selects.Select(b => b!["block_id"]!.GetValue<string>()));
        Assert.Contains(selects[0]!["element"]!["options"]!.AsArray(), o => o!["value"]!.GetValue<string>() == "token:software:totp");
        Assert.Contains(selects[1]!["element"]!["options"]!.AsArray(), o => o!["value"]!.GetValue<string>() == "GOOGLE");

        // 2. An invalid pair is answered with an error on the provider field, and nothing is requested.
        var invalid = await host.InteractAsync(SlackPayloads.ViewSubmission("UALICE", "V1", "token:software:totp", "RSA"));
        var errors = JsonNode.Parse(await invalid.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("errors", errors["response_action"]!.GetValue<string>());
        Assert.NotNull(errors["errors"]!["provider"]);
        Assert.Empty(await host.AllRequestsAsync());

        // 3. The corrected submission closes the modal (empty 200) and posts the approval message to the support channel.
        var valid = await host.InteractAsync(SlackPayloads.ViewSubmission("UALICE", "V1", "token:software:totp", "GOOGLE"));
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal("", await valid.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var request = await host.WaitForAsync(r => r.State == RequestState.AwaitingApproval, "the request");
        Assert.Equal("alice@example.com", request.Target.Login);
        Assert.Equal("UALICE", request.Requester.Id);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Count(c => c.Channel == "DALICE") >= 1, "the status DM");

        var approval = slack.CallsTo("chat.postMessage").Single(c => c.Channel == SlackTestHost.SupportChannel && c.ThreadTs is null);
        Assert.True(approval.Ok, approval.Answer.ToJsonString());
        var approvalBlocks = approval.Body["blocks"]!.AsArray();
        Assert.Equal("header", approvalBlocks[0]!["type"]!.GetValue<string>());
        var fieldText = string.Join("\n", approvalBlocks.SelectMany(b => b?["fields"]?.AsArray() ?? []).Select(f => f!["text"]!.GetValue<string>()));
        Assert.Contains("Alice Example", fieldText);
        Assert.Contains("alice@example.com", fieldText);
        Assert.Contains("Google Authenticator", fieldText);
        Assert.Contains(RequestPresenter.Reference(request), fieldText);
        var buttons = approvalBlocks.Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray();
        var approve = buttons.Single(b => b!["action_id"]!.GetValue<string>() == "approve")!;
        var deny = buttons.Single(b => b!["action_id"]!.GetValue<string>() == "deny")!;
        Assert.Equal("primary", approve["style"]!.GetValue<string>());
        Assert.NotNull(approve["confirm"]);
        Assert.Equal("danger", deny["style"]!.GetValue<string>());
        Assert.Equal(request.Id, approve["value"]!.GetValue<string>());
        var approvalTs = approval.Answer["ts"]!.GetValue<string>();

        // 4. Someone who is not an approver clicks: an ephemeral refusal for them alone, nothing changes.
        await host.InteractAsync(SlackPayloads.Click("UMALLORY", "approve", request.Id, SlackTestHost.SupportChannel, approvalTs, "1.1"));
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postEphemeral").Any(), "the ephemeral refusal");
        var refusal = slack.CallsTo("chat.postEphemeral").Single(c => c.Body["user"]!.GetValue<string>() == "UMALLORY");
        Assert.Equal("UMALLORY", refusal.Body["user"]!.GetValue<string>());
        Assert.Equal(SlackTestHost.SupportChannel, refusal.Channel);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, TestContext.Current.CancellationToken))!.State);

        // 4b. The requester cannot approve their own request, even from the support channel.
        await host.InteractAsync(SlackPayloads.Click("UALICE", "approve", request.Id, SlackTestHost.SupportChannel, approvalTs, "1.5"));
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postEphemeral").Any(c => c.Body["user"]!.GetValue<string>() == "UALICE"), "the self-approval refusal");
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, TestContext.Current.CancellationToken))!.State);

        // 5. The approver clicks: thread replies under the approval message, the message updated in place, the result in the DM.
        var click = await host.InteractAsync(SlackPayloads.Click("UBOB", "approve", request.Id, SlackTestHost.SupportChannel, approvalTs, "2.2"));
        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        var done = await host.WaitForAsync(r => r.State == RequestState.AwaitingActivation, "the enrolled request");
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DALICE" && c.AllText.Contains("Setup key", StringComparison.Ordinal)),
            "the private result");

        var replies = slack.CallsTo("chat.postMessage").Where(c => c.ThreadTs == approvalTs).ToList();
        Assert.Contains(replies, r => r.Body["text"]!.GetValue<string>().Contains("Approved by Bob Helper", StringComparison.Ordinal));
        Assert.Contains(replies, r => r.Body["text"]!.GetValue<string>().Contains("Enrolled", StringComparison.Ordinal));
        Assert.All(replies, r => Assert.Equal(SlackTestHost.SupportChannel, r.Channel));

        var updates = slack.CallsTo("chat.update").Where(c => c.Body["ts"]!.GetValue<string>() == approvalTs).ToList();
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.True(u.Ok, u.Answer.ToJsonString()));
        Assert.Contains("Bob Helper", updates[^1].AllText);
        Assert.DoesNotContain(updates[^1].Body["blocks"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "actions");

        // The activation secret goes only to Alice's DM: never to the support channel or its thread.
        var result = slack.CallsTo("chat.postMessage").Single(c => c.Channel == "DALICE" && c.AllText.Contains("Setup key", StringComparison.Ordinal));
        Assert.Contains(done.Result!.FactorId, result.AllText);
        var secretBlock = result.Body["blocks"]!.AsArray().Single(b => b!["text"]?["text"]?.GetValue<string>().Contains("Setup key", StringComparison.Ordinal) == true);
        var secret = secretBlock!["text"]!["text"]!.GetValue<string>().Split('`')[1];
        Assert.DoesNotContain(slack.Calls.Where(c => c.Channel == SlackTestHost.SupportChannel), c => c.AllText.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(slack.Calls.Where(c => c != result), c => c.AllText.Contains(secret, StringComparison.Ordinal));
        foreach (var leak in new[] { secret, FakeSlackApi.BotToken, SlackTestHost.SigningSecret, "sandbox-token" })
        {
            Assert.DoesNotContain(leak, host.Logs.AllText, StringComparison.Ordinal);
        }

        // 5b. The QR code went into Alice's DM as an uploaded file; "Enter the code" opens the modal; the code activates.
        await Eventually.WaitUntilAsync(() => slack.CallsTo("files.completeUploadExternal").Any(), "the QR code upload");
        var upload = slack.CallsTo("files.completeUploadExternal").Single();
        Assert.Equal("DALICE", upload.Body["channel_id"]!.GetValue<string>());
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DALICE" && c.AllText.Contains("Enter the code", StringComparison.Ordinal)),
            "the activation message");
        var activation = slack.CallsTo("chat.postMessage").Last(c => c.Channel == "DALICE" && c.AllText.Contains("Enter the code", StringComparison.Ordinal));
        await host.InteractAsync(SlackPayloads.Click("UALICE", "enterCode", request.Id, "DALICE", activation.Answer["ts"]!.GetValue<string>(), "4.1"));
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.open").Any(c => c.AllText.Contains("6-digit code", StringComparison.Ordinal)), "the code modal");
        var code = ChatOpsMfa.Okta.Sandbox.SandboxTotp.Code(secret, DateTimeOffset.UtcNow);
        await host.InteractAsync(SlackPayloads.CodeSubmission("UALICE", "VCODE", request.Id, code));
        await host.WaitForAsync(r => r.State == RequestState.Completed, "the activated request");
        await Eventually.WaitUntilAsync(() => slack.CallsTo("files.delete").Any(), "the QR file deleted");
        Assert.Equal(upload.Body["files"]!.ToJsonString().Split("\"id\":\"")[1].Split('"')[0], slack.CallsTo("files.delete").Single().Body["file"]!.GetValue<string>());
        var keyTs = result.Answer["ts"]!.GetValue<string>();
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.update").Any(c => c.Body["ts"]!.GetValue<string>() == keyTs), "the key message replaced");
        var keyNow = slack.CallsTo("chat.update").Last(c => c.Body["ts"]!.GetValue<string>() == keyTs);
        Assert.Contains("Setup key removed after activation", keyNow.AllText);
        Assert.DoesNotContain(secret, keyNow.AllText, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.ThreadTs == approvalTs && c.AllText.Contains("Activated:", StringComparison.Ordinal)),
            "the thread's Activated line");
        Assert.DoesNotContain(code, host.Logs.AllText, StringComparison.Ordinal);

        // Everyone sees the ending, each message updated in place: Alice's activation message (no code button any more),
        // her status message, and the approval message in the support channel.
        var activationTs = activation.Answer["ts"]!.GetValue<string>();
        var activated = $"Completed: Google Authenticator (TOTP app) activated (factor {done.Result!.FactorId}, ACTIVE).";
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.update").Any(c => c.Body["ts"]!.GetValue<string>() == activationTs &&
            c.AllText.Contains("Done: Google Authenticator (TOTP app) is active", StringComparison.Ordinal)), "the activation message done");
        var activationNow = slack.CallsTo("chat.update").Last(c => c.Body["ts"]!.GetValue<string>() == activationTs);
        Assert.Equal("DALICE", activationNow.Channel);
        Assert.DoesNotContain("Enter the code", activationNow.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(activationNow.Body["blocks"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "actions");
        var statusTs = slack.CallsTo("chat.postMessage").First(c => c.Channel == "DALICE" && SlackRecovery.Header(c)?.StartsWith("Your MFA reset", StringComparison.Ordinal) == true)
            .Answer["ts"]!.GetValue<string>();
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.update").Any(c => c.Body["ts"]!.GetValue<string>() == statusTs && c.AllText.Contains(activated, StringComparison.Ordinal)),
            "the status message updated");
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.update").Any(c => c.Body["ts"]!.GetValue<string>() == approvalTs && c.AllText.Contains(activated, StringComparison.Ordinal)),
            "the approval message shows activated");
        Assert.DoesNotContain(slack.CallsTo("chat.update").Last(c => c.Body["ts"]!.GetValue<string>() == approvalTs).Body["blocks"]!.AsArray(),
            b => b!["type"]!.GetValue<string>() == "actions");

        var audit = await host.Store.AuditTrailAsync(request.Id, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(audit, a => $"{a.Detail}{a.ActorName}".Contains(secret, StringComparison.Ordinal));
        Assert.Equal("Activated", audit[^1].Action);
        Assert.Contains("Slack", host.Logs.AllText, StringComparison.Ordinal); // the logs searched are not empty
        Assert.Contains(slack.CallsTo("conversations.open"), c => c.Body["users"]!.GetValue<string>() == "UALICE");
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
        // Every call went as a body Slack's description says that method reads (form arguments).
        // (The upload of the QR bytes goes to the upload URL Slack handed out, not to a Web API method.)
        Assert.All(slack.AllCalls.Where(c => c.Method != FakeSlackApi.UploadMethod), c => Assert.True(SlackWebApiDescription.Instance.Find(c.Method)!.Reads(c.MediaType), $"{c.Method} sent as {c.MediaType}"));
        Assert.Contains(slack.AllCalls, c => c.Method == "users.info");
        Assert.Contains(slack.AllCalls, c => c.Method == "auth.test");

        // 6. A late click on the decided request gets an ephemeral "already decided", not a change.
        await host.InteractAsync(SlackPayloads.Click("UERIN", "deny", request.Id, SlackTestHost.SupportChannel, approvalTs, "3.3"));
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postEphemeral").Any(c => c.Body["user"]!.GetValue<string>() == "UERIN"), "the late-click notice");
        Assert.Equal(RequestState.Completed, (await host.Store.FindAsync(request.Id, TestContext.Current.CancellationToken))!.State);
    }

    [Fact]
    public async Task Sms_without_a_phone_number_marks_the_phone_field()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        var answer = await host.InteractAsync(SlackPayloads.ViewSubmission("UALICE", "V2", "sms", "OKTA"));

        var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("errors", body["response_action"]!.GetValue<string>());
        Assert.Contains("phone", body["errors"]!["phoneNumber"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await host.AllRequestsAsync());
        Assert.Empty(slack.Calls);
    }

    [Fact]
    public async Task Direct_message_event_offers_the_form_button_and_the_button_opens_the_modal()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        var answer = await host.EventAsync(SlackPayloadsEvents.DirectMessage("Ev1", "UALICE", "DALICE", "mfa-reset"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(), "the form invitation");
        var invitation = slack.CallsTo("chat.postMessage").Single();
        Assert.Equal("DALICE", invitation.Channel);
        Assert.Contains("openRequestForm", invitation.AllText);

        await host.InteractAsync(SlackPayloads.Click("UALICE", "openRequestForm", "open", "DALICE", invitation.Answer["ts"]!.GetValue<string>(), "4.4"));
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.open").Any(), "the modal");
        Assert.True(slack.CallsTo("views.open").Single().Ok);
    }

    [Fact]
    public async Task A_modal_that_cannot_be_opened_is_explained_privately_and_nothing_is_requested()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        var ack = await host.CommandAsync("UALICE", "expired-trigger-1");

        Assert.Equal(System.Net.HttpStatusCode.OK, ack.StatusCode);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postEphemeral").Any(), "the private explanation");
        var told = Assert.Single(slack.CallsTo("chat.postEphemeral"));
        Assert.Equal("UALICE", told.Body["user"]!.GetValue<string>());
        Assert.Contains("Slack gives a form 3 seconds to open, and this one took longer (Slack said: expired_trigger_id). Please send /mfa-reset again.",
            told.Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await host.AllRequestsAsync());
    }
}
