using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>The whole recovery through the channel-neutral bot, against the real host, SQLite and the Okta sandbox.</summary>
public class FlowTests : FlowTestsOnEitherStore
{
    private static JsonObject Form(string factor, string? phone = null) => new()
    {
        ["verb"] = "submitRequest",
        ["factor"] = factor,
        ["phoneNumber"] = phone,
    };

    [Fact]
    public async Task Totp_reset_runs_end_to_end_and_the_secret_stays_with_the_requester()
    {
        using var host = NewHost();
        _ = host.Services; // start the host
        host.Okta.ClearRequests();

        await host.SayAsync(Alice, "/mfa-reset");
        var form = Assert.Single(host.Chat.In("dm-alice"));
        Assert.Equal("request-form", form.Message.Card!.Template);

        await host.SubmitAsync(Alice, Form("token:software:totp|GOOGLE"));
        var request = await host.OnlyRequestAsync();
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        var approvalCard = Assert.Single(host.Chat.In("support"), m => m.Message.Card?.Template == "approval");
        Assert.Contains("\"verb\":\"approve\"", approvalCard.Card!.ToJsonString());
        Assert.Contains("alice@example.com", approvalCard.Visible);
        Assert.Contains(host.Chat.In("dm-alice"), m => m.Message.Text.Contains("Waiting for approval", StringComparison.Ordinal));

        await host.ClickAsync(Bob, "approve", request.Id);
        var done = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(() => host.Chat.In("dm-alice").Any(m => m.Message.Card?.Template == "activation"), "the activation card");

        // Okta: exactly one reset then one enrolment, for Alice, with the SSWS token and the chosen factor.
        var okta = host.Okta.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, okta.Count);
        Assert.Equal($"/api/v1/users/{done.Target.OktaUserId}/lifecycle/reset_factors", okta[0].Path);
        Assert.Equal($"/api/v1/users/{done.Target.OktaUserId}/factors", okta[1].Path);
        Assert.All(okta, r => Assert.Equal("SSWS " + host.Okta.Token, r.Header("Authorization")));
        Assert.Equal(JsonNode.Parse("""{"factorType":"token:software:totp","provider":"GOOGLE"}""")!.ToJsonString(),
            JsonNode.Parse(okta[1].Body)!.ToJsonString());
        var enrolled = Assert.Single(host.Okta.FactorsOf(done.Target.OktaUserId)!);
        Assert.Equal(enrolled.Id, done.Result!.FactorId);

        // The approval card was updated in place: who approved, and no buttons left.
        var latestApproval = host.Chat.Latest(approvalCard.MessageId);
        Assert.Equal(SentKind.Update, latestApproval.Kind);
        Assert.Contains("Bob Helper", latestApproval.Visible);
        Assert.DoesNotContain("\"verb\":\"approve\"", latestApproval.Card!.ToJsonString());

        // Every transition is a reply in the approval card's thread.
        var thread = host.Chat.In("support").Where(m => m.Kind == SentKind.ThreadReply).ToList();
        Assert.All(thread, m => Assert.Equal(approvalCard.MessageId, m.ThreadId));
        Assert.Collection(thread,
            m => Assert.Contains("Approved by Bob Helper", m.Message.Text),
            m => Assert.Contains("Resetting all factors", m.Message.Text),
            m => Assert.Contains("Factors reset", m.Message.Text),
            m => Assert.Contains("Every Okta session and OAuth token of alice@example.com was revoked", m.Message.Text),
            m => Assert.Contains($"factor {done.Result.FactorId}", m.Message.Text));

        // The activation secret went to Alice only.
        var result = Assert.Single(host.Chat.In("dm-alice"), m => m.Message.Card?.Template == "result" && m.Kind != SentKind.Update);
        var secret = result.Card!.ToJsonString();
        var sharedSecret = result.Message.Card!.Data["sharedSecret"]!.GetValue<string>();
        Assert.False(string.IsNullOrEmpty(sharedSecret));
        Assert.Contains(sharedSecret, secret);
        Assert.DoesNotContain(host.Chat.In("support"), m => m.Visible.Contains(sharedSecret, StringComparison.Ordinal));

        // The key card carries a QR picture the bot drew itself; no link to anywhere.
        Assert.StartsWith("data:image/png;base64,", result.Message.Card.Data["qrImage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(result.Message.Image);

        // Alice types the code her app shows: Okta activates the factor and the request completes.
        var code = host.TotpCodeFor(sharedSecret);
        var answer = await host.EnterCodeAsync(Alice, request.Id, code);
        Assert.Contains("is active", answer.Notice);
        var active = await host.WaitForAsync(request.Id, RequestState.Completed);
        Assert.Equal("ACTIVE", active.Result!.FactorStatus);
        Assert.Equal("ACTIVE", Assert.Single(host.Okta.FactorsOf(done.Target.OktaUserId)!).Status);
        await host.OutboxSettledAsync();

        // The key card is gone: replaced, with nothing of the key left, and the support thread says "activated".
        var keyNow = host.Chat.Latest(result.MessageId);
        Assert.Equal(SentKind.Update, keyNow.Kind);
        Assert.Contains("Setup key removed after activation", keyNow.Visible);
        Assert.DoesNotContain(sharedSecret, keyNow.Card!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply && m.Message.Text.StartsWith("Activated:", StringComparison.Ordinal));

        // The audit trail has the whole story, and never the key or the code.
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Equal(["Requested", "Approve", "StartReset", "ResetSucceeded", "SessionsRevoked", "EnrollSucceeded", "Activated"], audit.Select(a => a.Action));
        Assert.Equal("bob", audit[1].ActorId);
        Assert.DoesNotContain(audit, a => (a.Detail ?? "").Contains(sharedSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(audit, a => (a.Detail ?? "").Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requester_cannot_approve_their_own_request_and_nothing_changes()
    {
        using var host = NewHost(new Dictionary<string, string?> { ["Approvals:Approvers:2"] = "alice" });
        await host.SubmitAsync(Alice, Form("token:software:totp|GOOGLE"));
        var request = await host.OnlyRequestAsync();
        host.Okta.ClearRequests();

        await host.ClickAsync(Alice, "approve", request.Id);

        var refusal = Assert.Single(host.Chat.Sent, m => m.Kind == SentKind.Ephemeral);
        Assert.Equal("alice", refusal.OnlyFor!.Id);
        Assert.Contains("requester cannot decide their own request", refusal.Message.Text);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        // Okta was only asked who the clicker is; nothing was changed there.
        Assert.All(host.Okta.Requests, r => Assert.Equal("getUser", r.OperationId));
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Equal("ApproveRefused", audit[^1].Action);
    }

    [Fact]
    public async Task Non_approver_click_is_refused()
    {
        using var host = NewHost();
        await host.SubmitAsync(Alice, Form("push|OKTA"));
        var request = await host.OnlyRequestAsync();

        // Dave is a known Okta user, but not an approver.
        await host.ClickAsync(new Channels.ChatUser("dave", "Dave Manager", "dave@example.com"), "approve", request.Id);

        Assert.Contains(host.Chat.Sent, m => m.Kind == SentKind.Ephemeral && m.Message.Text.Contains("only an authorised approver", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Deny_tells_the_requester_and_updates_the_card()
    {
        using var host = NewHost();
        await host.SubmitAsync(Alice, Form("push|OKTA"));
        var request = await host.OnlyRequestAsync();
        host.Okta.ClearRequests();

        await host.ClickAsync(Bob, "deny", request.Id);

        Assert.Equal(RequestState.Denied, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        var status = host.Chat.In("dm-alice").Last(m => m.Message.Card?.Template == "status");
        Assert.Contains("Denied by Bob Helper", status.Visible);
        Assert.DoesNotContain(host.Okta.Requests, r => r.Method == "POST");
        await host.ClickAsync(Erin, "approve", request.Id);
        Assert.Contains(host.Chat.Sent, m => m.Kind == SentKind.Ephemeral && m.Message.Text.Contains("already denied by Bob Helper", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requester_can_cancel_while_waiting()
    {
        using var host = NewHost();
        await host.SubmitAsync(Alice, Form("push|OKTA"));
        var request = await host.OnlyRequestAsync();

        await host.ClickAsync(Alice, "cancel", request.Id, host.DirectWith(Alice));

        Assert.Equal(RequestState.Cancelled, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        var approval = host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval");
        Assert.DoesNotContain("\"verb\":\"approve\"", approval.Card!.ToJsonString());
    }

    [Theory]
    [InlineData("sms|OKTA", null, "international format")]
    [InlineData("sms|OKTA", "0415 555 0123", "international format")]
    [InlineData("token:software:totp|RSA", null, "can't be enrolled")]
    [InlineData("nonsense", null, "can't be enrolled")]
    public async Task Bad_form_input_gets_a_clear_reply_and_creates_nothing(string factor, string? phone, string expected)
    {
        using var host = NewHost();

        await host.SubmitAsync(Alice, Form(factor, phone));

        var reply = Assert.Single(host.Chat.In("dm-alice"));
        Assert.Contains(expected, reply.Message.Text);
        Assert.Empty(await host.Store.ListInStatesAsync(Enum.GetValues<RequestState>(), CancellationToken.None));
        if (phone is not null)
        {
            Assert.DoesNotContain(phone, reply.Message.Text);
        }
    }

    [Fact]
    public async Task Sms_enrolment_sends_the_phone_to_Okta_but_shows_approvers_only_a_masked_number()
    {
        using var host = NewHost();
        await host.SubmitAsync(Alice, Form("sms|OKTA", "+1 415 555 4567"));
        var request = await host.OnlyRequestAsync();

        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        var enrol = host.Okta.Requests.Last(r => r.Method == "POST");
        Assert.Equal("+14155554567", JsonNode.Parse(enrol.Body)!["profile"]!["phoneNumber"]!.GetValue<string>());
        Assert.DoesNotContain(host.Chat.In("support"), m => m.Visible.Contains("4155554567", StringComparison.Ordinal));
        Assert.Contains(host.Chat.In("support"), m => m.Visible.Contains("+1 ••• ••• 4567", StringComparison.Ordinal));
        // The number serves the activation (a new code goes to it) and is forgotten once the factor is ACTIVE.
        Assert.NotNull((await host.Store.FindAsync(request.Id, CancellationToken.None))!.Factor.PhoneNumber);
        var stored = await host.ActivateAsync(Alice, request.Id);
        Assert.Null(stored.Factor.PhoneNumber);
    }

    [Fact]
    public async Task Failed_enrolment_can_be_retried_without_resetting_again()
    {
        using var host = NewHost();
        await host.SubmitAsync(Alice, Form("token:software:totp|GOOGLE"));
        var request = await host.OnlyRequestAsync();
        host.Okta.ClearRequests();
        host.Okta.FailNext(403, "E0000006", "You do not have permission to perform the requested action", operationId: "enrollFactor");

        await host.ClickAsync(Bob, "approve", request.Id);
        var failed = await host.WaitForAsync(request.Id, RequestState.EnrollFailed);
        Assert.Contains("permission", failed.FailureMessage);
        await Eventually.WaitUntilAsync(() => host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval")
            .Card!.ToJsonString().Contains("\"verb\":\"retry\"", StringComparison.Ordinal), "a Retry button on the approval card");

        await host.ClickAsync(Erin, "retry", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        var posts = host.Okta.Requests.Where(r => r.Method == "POST").Select(r => r.OperationId).ToList();
        Assert.Equal(["resetFactors", "enrollFactor", "enrollFactor"], posts);
    }

    [Fact]
    public async Task Unknown_text_gets_help_and_a_group_chat_is_asked_to_go_private()
    {
        using var host = NewHost();

        await host.SayAsync(Alice, "hello?");
        await host.DeliverAsync(new Channels.InboundMessage(host.Chat.SupportConversation, Alice, "/mfa-reset", null, "x"));

        Assert.Contains("/mfa-reset", host.Chat.In("dm-alice").Single().Message.Text);
        Assert.Contains("private chat", host.Chat.In("support").Single().Message.Text);
        Assert.Empty(await host.Store.ListInStatesAsync(Enum.GetValues<RequestState>(), CancellationToken.None));
    }

    [Fact]
    public async Task A_click_on_a_request_that_does_not_exist_is_answered_privately()
    {
        using var host = NewHost();

        await host.ClickAsync(Bob, "approve", "no-such-request");

        Assert.Contains("does not exist", Assert.Single(host.Chat.Sent).Message.Text);
    }
}
