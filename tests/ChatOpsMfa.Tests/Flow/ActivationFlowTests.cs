using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>
/// Issue 10: a recovery is done only when Okta says the new factor is ACTIVE. Through the channel-neutral bot, with
/// the sandbox checking codes as Okta does (TOTP by RFC 6238, SMS/call/email by the code it "sent").
/// </summary>
public class ActivationFlowTests : FlowTestsOnEitherStore
{
    private static JsonObject Form(string factor, string? phone = null) => new()
    {
        ["verb"] = "submitRequest",
        ["factor"] = factor,
        ["phoneNumber"] = phone,
    };

    [Fact]
    public async Task A_wrong_code_is_told_with_the_attempts_left_and_the_factor_stays_pending()
    {
        using var host = NewHost();
        var request = await EnrolledAsync(host, "token:software:totp|GOOGLE");

        var answer = await host.EnterCodeAsync(Alice, request.Id, "000000");

        Assert.Contains("did not match", answer.Notice);
        Assert.Contains("4 attempt(s) left", answer.Notice);
        Assert.Equal(4, answer.RefreshedCard!.Card!.Data["attemptsLeft"]!.GetValue<int>());
        var stored = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Equal((RequestState.AwaitingActivation, 1), (stored.State, stored.CodesTried));
        Assert.Equal("PENDING_ACTIVATION", Assert.Single(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!).Status);
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Equal("CodeRejected", audit[^1].Action);
        Assert.DoesNotContain(audit, a => (a.Detail ?? "").Contains("000000", StringComparison.Ordinal));
        await host.OutboxSettledAsync();
        Assert.Contains(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply && m.Message.Text.Contains("wrong activation code", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Five_wrong_codes_stop_the_activation_delete_the_factor_and_a_retry_enrols_again_without_a_second_reset()
    {
        using var host = NewHost();
        var request = await EnrolledAsync(host, "token:software:totp|GOOGLE");
        var firstFactor = request.Result!.FactorId;

        for (var i = 0; i < ResetRequest.MaxWrongCodes; i++)
        {
            await host.EnterCodeAsync(Alice, request.Id, "000000");
        }

        var failed = await host.WaitForAsync(request.Id, RequestState.ActivationFailed);
        Assert.Contains("5 wrong codes", failed.FailureMessage);
        Assert.Empty(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        var sixth = await host.EnterCodeAsync(Alice, request.Id, host.TotpCodeFor(KeyShown(host)));
        Assert.Contains("activation has ended", sixth.Notice);
        Assert.Equal(5, host.Okta.Requests.Count(r => r.OperationId == "activateFactor"));
        await host.OutboxSettledAsync();
        Assert.Contains("removed because the activation ended", host.Chat.Latest(KeyMessageId(host)).Visible);
        Assert.DoesNotContain(KeyShown(host), host.Chat.Latest(KeyMessageId(host)).Card!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("\"verb\":\"retry\"", host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval").Card!.ToJsonString());

        await host.ClickAsync(Erin, "retry", request.Id);
        var again = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        Assert.NotEqual(firstFactor, again.Result!.FactorId);
        Assert.Equal(5, again.CodeAttemptsLeft);
        Assert.Single(host.Okta.Requests, r => r.OperationId == "resetFactors");
        Assert.Equal(again.Result.FactorId, Assert.Single(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!).Id);

        var done = await host.ActivateAsync(Alice, request.Id);
        Assert.Equal("ACTIVE", done.Result!.FactorStatus);
    }

    [Fact]
    public async Task A_new_sms_code_is_sent_a_bounded_number_of_times_and_only_the_latest_activates()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = NewHost(new Dictionary<string, string?> { ["Activation:MaxResends"] = "1" }, services: s => s.AddSingleton<TimeProvider>(clock));
        var request = await EnrolledAsync(host, "sms|OKTA", "+1 415 555 4567");
        var first = host.LatestCodeSentTo(OktaSandboxSeed.AliceId);

        // Okta allows one SMS per phone every 30 s: a resend before that is Okta's refusal, shown, and not counted.
        var tooSoon = await host.ResendAsync(Alice, request.Id);
        Assert.Contains("Okta did not send a new code", tooSoon.Notice);
        Assert.Equal(0, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.CodesResent);

        clock.Advance(TimeSpan.FromSeconds(31));
        var resent = await host.ResendAsync(Alice, request.Id);
        Assert.Contains("+1 ••• ••• 4567", resent.Notice);
        var second = host.LatestCodeSentTo(OktaSandboxSeed.AliceId);
        Assert.Equal(2, host.Okta.Inbox.Count(m => m.UserId == OktaSandboxSeed.AliceId));
        var refused = await host.ResendAsync(Alice, request.Id);
        Assert.Contains("the most allowed", refused.Notice);
        Assert.Equal(2, host.Okta.Requests.Count(r => r.OperationId == "resendEnrollFactor"));

        if (first != second)
        {
            var old = await host.EnterCodeAsync(Alice, request.Id, first);
            Assert.Contains("did not match", old.Notice);
        }

        var answer = await host.EnterCodeAsync(Alice, request.Id, second);
        Assert.Contains("is active", answer.Notice);
        var done = await host.WaitForAsync(request.Id, RequestState.Completed);
        Assert.Null(done.Factor.PhoneNumber);
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "ActivationCodeResent");
        Assert.DoesNotContain(audit, a => (a.Detail ?? "").Contains(second, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_activation_that_times_out_deletes_the_pending_factor_and_an_approver_can_retry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = NewHost(services: s => s.AddSingleton<TimeProvider>(clock));
        var request = await EnrolledAsync(host, "token:software:totp|GOOGLE");
        var watcher = host.Services.GetRequiredService<ResetWorkflowService>();

        clock.Advance(TimeSpan.FromMinutes(29));
        await watcher.WatchActivationsAsync(CancellationToken.None);
        Assert.Equal(RequestState.AwaitingActivation, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);

        clock.Advance(TimeSpan.FromMinutes(2));
        await watcher.WatchActivationsAsync(CancellationToken.None);
        var failed = await host.WaitForAsync(request.Id, RequestState.ActivationFailed);
        Assert.Contains("expired", failed.FailureMessage);
        Assert.Empty(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Single(host.Okta.Requests, r => r.OperationId == "unenrollFactor");
        var late = await host.EnterCodeAsync(Alice, request.Id, host.TotpCodeFor(KeyShown(host)));
        Assert.Contains("activation has ended", late.Notice);
        await host.OutboxSettledAsync();
        Assert.Contains(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply && m.Message.Text.Contains("Activation stopped: the activation expired", StringComparison.Ordinal));
        Assert.Contains("removed because the activation ended", host.Chat.Latest(KeyMessageId(host)).Visible);

        await host.ClickAsync(Bob, "retry", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        Assert.Single(host.Okta.Requests, r => r.OperationId == "resetFactors");
        await host.ActivateAsync(Alice, request.Id);
    }

    [Fact]
    public async Task Okta_Verify_push_completes_when_the_device_scans_and_ends_when_the_device_declines()
    {
        using var host = NewHost();
        var request = await EnrolledAsync(host, "push|OKTA");
        var watcher = host.Services.GetRequiredService<ResetWorkflowService>();

        // The key card carries Okta's own activation QR, fetched through the API; the activation card waits.
        await Eventually.WaitUntilAsync(() => host.Chat.In("dm-alice").Any(m => m.Message.Card?.Template == "result" && m.Message.Image is not null), "Okta's QR");
        var qr = host.Chat.In("dm-alice").First(m => m.Message.Card?.Template == "result").Message.Image!;
        Assert.True(qr.Png.AsSpan().StartsWith(new byte[] { 0x89, 0x50, 0x4E, 0x47 }));
        await watcher.WatchActivationsAsync(CancellationToken.None);
        Assert.Equal(RequestState.AwaitingActivation, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);

        // "Email me the setup link": Okta sends its own link.
        var link = await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "sendActivationLink", ["requestId"] = request.Id });
        Assert.Contains("emailing you", link.Notice);
        Assert.Contains(host.Okta.Inbox, m => m.UserId == OktaSandboxSeed.AliceId && m.Channel == "email");
        var text = await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "textActivationLink", ["requestId"] = request.Id });
        Assert.Contains("texting you", text.Notice);
        Assert.Contains(host.Okta.Inbox, m => m.UserId == OktaSandboxSeed.AliceId && m.Channel == "sms");

        Assert.True(host.Okta.ApprovePushActivation(OktaSandboxSeed.AliceId, request.Result!.FactorId));
        await watcher.WatchActivationsAsync(CancellationToken.None);
        var done = await host.WaitForAsync(request.Id, RequestState.Completed);
        Assert.Equal("ACTIVE", done.Result!.FactorStatus);
        await host.OutboxSettledAsync();
        Assert.Contains("Setup key removed after activation", host.Chat.Latest(KeyMessageId(host)).Visible);
        Assert.DoesNotContain(host.Chat.Latest(KeyMessageId(host)).Card!.ToJsonString(), "data:image", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_push_the_device_declines_ends_the_activation_and_removes_the_factor()
    {
        using var host = NewHost();
        var request = await EnrolledAsync(host, "push|OKTA");

        Assert.True(host.Okta.RejectPushActivation(OktaSandboxSeed.AliceId, request.Result!.FactorId));
        await host.Services.GetRequiredService<ResetWorkflowService>().WatchActivationsAsync(CancellationToken.None);

        var failed = await host.WaitForAsync(request.Id, RequestState.ActivationFailed);
        Assert.Contains("rejected on the device", failed.FailureMessage);
        Assert.Empty(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
    }

    [Fact]
    public async Task Only_the_owner_may_type_the_code_and_never_in_a_shared_channel()
    {
        using var host = NewHost();
        var request = await EnrolledAsync(host, "token:software:totp|GOOGLE");
        var code = host.TotpCodeFor(KeyShown(host));

        var bob = await host.EnterCodeAsync(Bob, request.Id, code);
        var inSupport = await host.DeliverAsync(new Channels.InboundMessage(host.Chat.SupportConversation, Alice, null,
            new JsonObject { ["verb"] = "activate", ["requestId"] = request.Id, ["passCode"] = code }, "x1"));
        var notACode = await host.EnterCodeAsync(Alice, request.Id, "12ab56");

        Assert.Contains("only the person whose new factor it is", bob.Notice, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("private chat", inSupport.Notice);
        Assert.Contains("6 to 8 digits", notACode.Notice);
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "activateFactor");
        Assert.Equal(0, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.CodesTried);
    }

    [Fact]
    public async Task A_key_card_the_platform_refuses_for_good_stops_the_activation_and_removes_the_factor_nobody_holds()
    {
        using var host = NewHost();
        _ = host.Services;
        await host.SubmitAsync(Alice, Form("token:software:totp|GOOGLE"));
        var request = await host.OnlyRequestAsync();
        host.Chat.RefuseForeverIn = "dm-alice"; // Alice blocked the bot after asking

        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(() => host.Store.FindAsync(request.Id, CancellationToken.None).GetAwaiter().GetResult()!.KeyUndeliverable,
            "the key card given up for good");
        await host.Services.GetRequiredService<ResetWorkflowService>().WatchActivationsAsync(CancellationToken.None);

        var failed = await host.WaitForAsync(request.Id, RequestState.ActivationFailed);
        Assert.Contains("could not be delivered", failed.FailureMessage);
        Assert.Empty(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "MessageUndeliverable" && (a.Detail ?? "").StartsWith("Result", StringComparison.Ordinal));
    }

    private static async Task<ResetRequest> EnrolledAsync(FlowHost host, string factor, string? phone = null)
    {
        _ = host.Services;
        await host.SubmitAsync(Alice, Form(factor, phone));
        var request = await host.OnlyRequestAsync();
        await host.ClickAsync(Bob, "approve", request.Id);
        var enrolled = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(() => host.Chat.In("dm-alice").Any(m => m.Message.Card?.Template == "activation"), "the activation card");
        return enrolled;
    }

    private static string KeyMessageId(FlowHost host) =>
        host.Chat.In("dm-alice").First(m => m.Message.Card?.Template == "result").MessageId;

    private static string KeyShown(FlowHost host) =>
        host.Chat.In("dm-alice").First(m => m.Message.Card?.Template == "result").Message.Card!.Data["sharedSecret"]!.GetValue<string>();
}
