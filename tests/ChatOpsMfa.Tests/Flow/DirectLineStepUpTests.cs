using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Local;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>
/// Issue 11 through the Direct Line API the local Web Chat uses: Bob's Approve counts only once his own Okta Verify
/// accepts the push the bot sends (the sandbox's push is answered as his phone would), Alice's manager confirms in
/// his own chat, the System Log is watched after the reset, and an undecided request reminds the approvers by name.
/// </summary>
public class DirectLineStepUpTests : FlowTestsOnEitherStore
{
    private static readonly Dictionary<string, string?> StepUp = new()
    {
        ["Approvals:ApproverVerification"] = "OktaVerifyPush",
        ["Approvals:VerificationPollInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task Bob_approves_and_his_accepted_Okta_Verify_push_lets_the_reset_run_to_Alice_key_card()
    {
        using var host = NewHost(StepUp);
        var chat = await LocalChat.SubmitAsync(host);

        await chat.BobApprovesAsync();
        await chat.CardSaysAsync("Waiting for Bob's Okta Verify to confirm the approval");
        await chat.BobSeesAsync("I sent an Okta Verify push to your phone");
        Assert.Equal(RequestState.AwaitingApproval, (await chat.RequestAsync()).State);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");

        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, (await chat.BobsPushAsync()).TransactionId));

        var done = await host.WaitForAsync(chat.RequestId, RequestState.AwaitingActivation);
        await chat.AliceSeesKeyCardAsync(done.Result!.FactorId);
        await chat.ThreadSaysAsync("confirmed with their Okta Verify push");
        var audit = (await host.Store.AuditTrailAsync(chat.RequestId, CancellationToken.None)).Select(a => a.Action).ToList();
        Assert.True(audit.IndexOf("Approve") > 0 && audit.IndexOf("Approve") < audit.IndexOf("ResetSucceeded"), string.Join(", ", audit));
        Assert.Single(host.Okta.Requests, r => r.OperationId == "resetFactors");
        Assert.Single(host.Okta.Requests, r => r.OperationId == "verifyFactor");
    }

    [Fact]
    public async Task A_push_rejected_on_Bob_phone_is_a_security_event_in_the_thread_and_nothing_is_reset()
    {
        using var host = NewHost(StepUp);
        var chat = await LocalChat.SubmitAsync(host);
        await chat.BobApprovesAsync();

        Assert.True(host.Okta.RejectPushChallenge(OktaSandboxSeed.BobId, (await chat.BobsPushAsync()).TransactionId));

        await chat.ThreadSaysAsync("⚠️ Security event: Bob's Okta Verify push was REJECTED on their device, so the approval did not count.");
        await chat.AuditHasAsync("StepUpRejected");
        await host.OutboxSettledAsync();
        var request = await chat.RequestAsync();
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        Assert.Empty(request.StepUps);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");
        Assert.Empty(host.Okta.SessionRevocations(OktaSandboxSeed.AliceId));
        // The card goes back to waiting for a decision: it no longer says it waits for Bob's phone.
        await chat.CardSaysAsync("Waiting for approval by the help desk.");
        Assert.DoesNotContain("Okta Verify to confirm the approval", (await chat.ApprovalCardAsync()).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_nobody_answers_is_not_counted_and_nothing_is_reset()
    {
        using var host = NewHost(new Dictionary<string, string?>(StepUp) { ["Approvals:VerificationTimeout"] = "00:00:01" });
        var chat = await LocalChat.SubmitAsync(host);
        await chat.BobApprovesAsync();
        await chat.BobsPushAsync();

        await chat.ThreadSaysAsync("Not counted: Bob's Okta Verify push was not answered within");
        await chat.AuditHasAsync("StepUpFailed");
        Assert.Equal(RequestState.AwaitingApproval, (await chat.RequestAsync()).State);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");
    }

    [Fact]
    public async Task An_approver_without_an_active_Okta_Verify_push_factor_is_refused_and_no_push_is_sent()
    {
        // Dave is listed as an approver but has no push factor: a chat click is all an attacker with his chat would have.
        using var host = NewHost(new Dictionary<string, string?>(StepUp) { ["Approvals:Approvers:2"] = "dave" });
        var chat = await LocalChat.SubmitAsync(host);
        var (support, daveToken) = await chat.Client.GenerateAsync("dave", "support");

        await chat.Client.PostActivityAsync(support, daveToken,
            WebChatActivities.From("dave", value: new JsonObject { ["verb"] = "approve", ["requestId"] = chat.RequestId }));

        var (daveSees, _) = await chat.Client.ReadUntilAsync(support, daveToken,
            a => a["recipient"]?["id"]?.GetValue<string>() == "dave" && Text(a).Contains("no active Okta Verify push factor", StringComparison.Ordinal),
            "Dave's private refusal");
        Assert.Contains(daveSees, a => Text(a).Contains("Deny", StringComparison.Ordinal) && a["recipient"]?["id"]?.GetValue<string>() == "dave");
        await host.OutboxSettledAsync();
        var request = await chat.RequestAsync();
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        Assert.Empty(request.StepUps);
        Assert.Empty(request.Decisions);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId is "verifyFactor" or "resetFactors");
        await chat.AuditHasAsync("ApproveRefused");
        // Bob sees neither the refusal nor any line about it in the thread.
        Assert.DoesNotContain(await chat.SupportActivitiesAsync(), a => Text(a).Contains("push factor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_Approve_while_Bob_push_waits_is_refused_and_sends_no_second_push()
    {
        using var host = NewHost(StepUp);
        var chat = await LocalChat.SubmitAsync(host);
        await chat.BobApprovesAsync();
        var push = await chat.BobsPushAsync();

        await chat.BobApprovesAsync();

        await chat.BobSeesAsync("already waiting on your phone");
        Assert.Single(host.Okta.Requests, r => r.OperationId == "verifyFactor");
        Assert.Equal(push, Assert.Single(host.Okta.PendingPushChallenges));
        Assert.Single((await chat.RequestAsync()).StepUps);
    }

    [Fact]
    public async Task Only_Alice_manager_can_confirm_a_click_by_Bob_on_the_manager_verb_is_refused()
    {
        using var host = NewHost(new Dictionary<string, string?>(StepUp) { ["Approvals:ManagerConfirmation"] = "Required" });
        var dave = await DirectLineUser.StartAsync(host, "dave");
        var chat = await LocalChat.SubmitAsync(host);
        await dave.ReadUntilCardAsync("Please confirm: an MFA reset for Alice Example");

        // Bob forges the manager's button in the support channel (Web Chat posts whatever value it is given).
        await chat.Client.PostActivityAsync(chat.Support, chat.BobToken,
            WebChatActivities.From("bob", value: new JsonObject { ["verb"] = "confirmManager", ["requestId"] = chat.RequestId }));
        await host.OutboxSettledAsync();

        var request = await chat.RequestAsync();
        Assert.Null(request.Manager!.ConfirmedAt);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        Assert.DoesNotContain(request.Decisions, d => d.Action == RequestTrigger.ConfirmManager);
        await chat.BobSeesAsync("Only Dave Manager, Alice Example's manager in Okta, can confirm or report this request");
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId is "verifyFactor" or "resetFactors");
    }

    [Fact]
    public async Task Dave_as_Alice_manager_reports_the_request_in_his_own_chat_and_it_is_cancelled_with_an_alert()
    {
        using var host = NewHost(new Dictionary<string, string?>(StepUp) { ["Approvals:ManagerConfirmation"] = "Required" });
        var dave = await DirectLineUser.StartAsync(host, "dave");
        var chat = await LocalChat.SubmitAsync(host);

        var card = await dave.ReadUntilCardAsync("Please confirm: an MFA reset for Alice Example");
        Assert.Contains("in person or on a video call", card, StringComparison.Ordinal);
        Assert.Contains("\"verb\":\"reportManager\"", card, StringComparison.Ordinal);
        await dave.ClickAsync("reportManager", chat.RequestId);

        await host.WaitForAsync(chat.RequestId, RequestState.Cancelled);
        await chat.ThreadSaysAsync("⚠️ Cancelled: Dave, Alice Example's manager, reported this request");
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId is "resetFactors" or "verifyFactor");
        // Nobody can approve it any more; the support channel never saw Dave's card.
        await chat.BobApprovesAsync();
        await host.OutboxSettledAsync();
        Assert.Equal(RequestState.Cancelled, (await chat.RequestAsync()).State);
        Assert.Empty(host.Okta.PendingPushChallenges);
        Assert.DoesNotContain(await chat.SupportActivitiesAsync(), a => a.ToJsonString().Contains("Please confirm: an MFA reset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bob_approval_waits_for_Dave_to_confirm_and_his_confirmation_completes_it()
    {
        using var host = NewHost(new Dictionary<string, string?>(StepUp) { ["Approvals:ManagerConfirmation"] = "Required" });
        var dave = await DirectLineUser.StartAsync(host, "dave");
        var chat = await LocalChat.SubmitAsync(host);
        await dave.ReadUntilCardAsync("Please confirm: an MFA reset for Alice Example");

        await chat.BobApprovesAsync();
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, (await chat.BobsPushAsync()).TransactionId));
        await chat.CardSaysAsync("waiting for Dave Manager, Alice Example's manager, to confirm it is them");
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");

        await dave.ClickAsync("confirmManager", chat.RequestId);

        var done = await host.WaitForAsync(chat.RequestId, RequestState.AwaitingActivation);
        await chat.AliceSeesKeyCardAsync(done.Result!.FactorId);
        await chat.AuditHasAsync("ConfirmManager");
        var confirmed = await dave.ReadUntilCardAsync("You confirmed it is Alice Example");
        Assert.DoesNotContain("\"verb\":\"confirmManager\"", confirmed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_console_sign_in_by_Alice_after_the_reset_raises_an_alert_in_the_support_thread()
    {
        using var host = NewHost(new Dictionary<string, string?>(StepUp) { ["Monitoring:PollInterval"] = "00:00:00.200" });
        var chat = await LocalChat.SubmitAsync(host);
        await chat.BobApprovesAsync();
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, (await chat.BobsPushAsync()).TransactionId));
        await host.WaitForAsync(chat.RequestId, RequestState.AwaitingActivation);
        await chat.ThreadSaysAsync("Every Okta session and OAuth token of alice@example.com was revoked");

        host.Okta.AddLogEvent(new SandboxLogEntry("user.session.access_admin_app", OktaSandboxSeed.AliceId, "User accessed Okta admin app")
        {
            Country = "Germany",
            City = "Berlin",
        });

        await chat.ThreadSaysAsync("⚠️ Security alert: alice@example.com opened the Okta Admin Console (user.session.access_admin_app at");
        await chat.AuditHasAsync("WatchAlert");
        var alert = (await chat.SupportActivitiesAsync()).Last(a => Text(a).Contains("⚠️ Security alert", StringComparison.Ordinal));
        Assert.Equal(chat.ApprovalId, alert["replyToId"]!.GetValue<string>());
        Assert.Contains("Germany", Text(alert), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_undecided_request_reminds_the_approvers_once_with_a_mention_each()
    {
        using var host = NewHost(new Dictionary<string, string?>(StepUp) { ["Approvals:ReminderAfter"] = "00:00:00.050" });
        var chat = await LocalChat.SubmitAsync(host);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var workflows = host.Services.GetRequiredService<ResetWorkflowService>();

        await workflows.ExpireDueAsync(CancellationToken.None);
        await workflows.ExpireDueAsync(CancellationToken.None);
        await host.OutboxSettledAsync();

        await chat.ThreadSaysAsync("@Bob @erin");
        var reminders = (await chat.SupportActivitiesAsync()).Where(a => a["entities"] is JsonArray).ToList();
        var reminder = Assert.Single(reminders);
        Assert.Equal(chat.ApprovalId, reminder["replyToId"]!.GetValue<string>());
        var mentions = reminder["entities"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.All(mentions, m => Assert.Equal("mention", m["type"]!.GetValue<string>()));
        Assert.Equal(["bob", "erin"], mentions.Select(m => m["mentioned"]!["id"]!.GetValue<string>()));
        Assert.Equal(RequestState.AwaitingApproval, (await chat.RequestAsync()).State);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId is "resetFactors" or "verifyFactor");
        // Alice is told how long it may still wait.
        Assert.Contains(await chat.AliceActivitiesAsync(), a => a.ToJsonString().Contains("min left", StringComparison.Ordinal));
    }

    private static string Text(JsonObject activity) => (activity["text"] ?? activity["summary"])?.GetValue<string>() ?? "";

    private static JsonNode? Card(JsonObject activity) => activity["attachments"]?.AsArray().FirstOrDefault()?["content"];

    /// <summary>The card as JSON with its texts readable ("Alice Example's", not an escaped apostrophe).</summary>
    private static string? CardJson(JsonObject activity) => Card(activity)?.ToJsonString(Readable);

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Somebody with their own personal Direct Line conversation (Dave, the manager).</summary>
    private sealed class DirectLineUser(DirectLineTestClient client, string userId, string conversation, string token)
    {
        public static async Task<DirectLineUser> StartAsync(FlowHost host, string userId)
        {
            var client = new DirectLineTestClient(host.CreateClient());
            var (conversation, token) = await client.StartPersonalAsync(userId);
            return new DirectLineUser(client, userId, conversation, token);
        }

        public async Task<string> ReadUntilCardAsync(string text)
        {
            bool Matches(JsonObject a) => CardJson(a)?.Contains(text, StringComparison.Ordinal) == true;
            var (activities, _) = await client.ReadUntilAsync(conversation, token, Matches, $"{userId}'s card saying '{text}'");
            return CardJson(activities.Last(Matches))!;
        }

        public Task ClickAsync(string verb, string requestId) =>
            client.PostActivityAsync(conversation, token, WebChatActivities.From(userId, value: new JsonObject { ["verb"] = verb, ["requestId"] = requestId }));
    }

    /// <summary>Alice has asked (Google Authenticator) in her personal conversation, and Bob sees the approval card in support.</summary>
    private sealed class LocalChat
    {
        private readonly FlowHost _host;
        private readonly DirectLineTestClient _client;
        private readonly string _alice;
        private readonly string _aliceToken;
        private readonly string _support;
        private readonly string _bobToken;

        private LocalChat(FlowHost host, DirectLineTestClient client, string alice, string aliceToken, string support, string bobToken, string requestId, string approvalId)
        {
            (_host, _client, _alice, _aliceToken, _support, _bobToken) = (host, client, alice, aliceToken, support, bobToken);
            (RequestId, ApprovalId) = (requestId, approvalId);
        }

        public string RequestId { get; }

        public string ApprovalId { get; }

        public DirectLineTestClient Client => _client;

        public string Support => _support;

        public string BobToken => _bobToken;

        public static async Task<LocalChat> SubmitAsync(FlowHost host)
        {
            var client = new DirectLineTestClient(host.CreateClient());
            var (alice, aliceToken) = await client.StartPersonalAsync("alice");
            await client.PostActivityAsync(alice, aliceToken,
                WebChatActivities.From("alice", value: new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }));
            var (support, bobToken) = await client.GenerateAsync("bob", "support");
            var (activities, _) = await client.ReadUntilAsync(support, bobToken, a => Card(a) is not null, "the approval card");
            var approval = Assert.Single(activities, a => Card(a) is not null);
            var requestId = Card(approval)!.ToJsonString().Split("\"requestId\":\"")[1].Split('"')[0];
            return new LocalChat(host, client, alice, aliceToken, support, bobToken, requestId, approval["id"]!.GetValue<string>());
        }

        public Task<ResetRequest> RequestAsync() =>
            _host.Store.FindAsync(RequestId, CancellationToken.None).ContinueWith(t => t.Result!, TaskScheduler.Default);

        public Task BobApprovesAsync() =>
            _client.PostActivityAsync(_support, _bobToken, WebChatActivities.From("bob", value: new JsonObject { ["verb"] = "approve", ["requestId"] = RequestId }));

        /// <summary>The push the sandbox holds for Bob's Okta Verify, as his phone would show it.</summary>
        public async Task<PendingPushChallenge> BobsPushAsync()
        {
            await Eventually.WaitUntilAsync(() => _host.Okta.PendingPushChallenges.Any(c => c.UserId == OktaSandboxSeed.BobId), "the push to Bob's Okta Verify");
            return Assert.Single(_host.Okta.PendingPushChallenges, c => c.UserId == OktaSandboxSeed.BobId);
        }

        public async Task<List<JsonObject>> SupportActivitiesAsync() => (await _client.ReadAsync(_support, _bobToken)).Activities;

        public async Task<List<JsonObject>> AliceActivitiesAsync() => (await _client.ReadAsync(_alice, _aliceToken)).Activities;

        public async Task<JsonNode> ApprovalCardAsync() =>
            Card((await SupportActivitiesAsync()).Single(a => a["id"]!.GetValue<string>() == ApprovalId))!;

        public async Task CardSaysAsync(string text)
        {
            bool Says(JsonObject a) => a["id"]!.GetValue<string>() == ApprovalId && CardJson(a)?.Contains(text, StringComparison.Ordinal) == true;
            await SupportShowsAsync(Says, $"the approval card saying '{text}'");
        }

        public async Task ThreadSaysAsync(string text)
        {
            bool Says(JsonObject a) => a["replyToId"]?.GetValue<string>() == ApprovalId && Text(a).Contains(text, StringComparison.Ordinal);
            await SupportShowsAsync(Says, $"the thread line '{text}'");
        }

        public async Task BobSeesAsync(string text)
        {
            bool Says(JsonObject a) => a["recipient"]?["id"]?.GetValue<string>() == "bob" && Text(a).Contains(text, StringComparison.Ordinal);
            await SupportShowsAsync(Says, $"Bob's private notice '{text}'");
        }

        /// <summary>Waits (bounded) for the support conversation to show an activity; on failure says what it did show.</summary>
        private async Task SupportShowsAsync(Func<JsonObject, bool> expected, string what)
        {
            var shown = new List<JsonObject>();
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
            while (!(shown = await SupportActivitiesAsync()).Any(expected) && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            Assert.True(shown.Any(expected), $"Timed out waiting for {what}. The support conversation shows:\n"
                + string.Join("\n", shown.Select(a => Text(a) + (CardJson(a) is { } card ? " | card: " + card : ""))));
        }

        public async Task AuditHasAsync(string action) =>
            await Eventually.WaitUntilAsync(
                () => _host.Store.AuditTrailAsync(RequestId, CancellationToken.None).GetAwaiter().GetResult().Any(a => a.Action == action),
                $"the audit row {action}");

        public async Task AliceSeesKeyCardAsync(string factorId) =>
            await _client.ReadUntilAsync(_alice, _aliceToken,
                a => Card(a)?.ToJsonString() is { } card && card.Contains(factorId, StringComparison.Ordinal) && card.Contains("Setup key", StringComparison.Ordinal),
                "Alice's key card");
    }
}
