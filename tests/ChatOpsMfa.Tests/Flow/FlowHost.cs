using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>
/// The real host (real SQLite file, real Okta sandbox over HTTP, real background workers) with a recording chat
/// channel beside the local one. Tests talk to the bot exactly as a channel adapter does.
/// </summary>
internal sealed class FlowHost(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : BotTestHost("flow", Defaults.Concat(settings ?? new Dictionary<string, string?>()))
{
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Approvals:Approvers:0"] = "bob",
        ["Approvals:Approvers:1"] = "erin",
        ["Outbox:RetryDelay"] = "00:00:00.100",
        ["Outbox:PollInterval"] = "00:00:00.200",
    };

    public static readonly ChatUser Alice = new("alice", "Alice Example", "alice@example.com");
    public static readonly ChatUser Bob = new("bob", "Bob Helper", "bob@example.com");
    public static readonly ChatUser Erin = new("erin", "Erin Desk", "erin@example.com");
    public static readonly ChatUser Mallory = new("mallory", "Mallory", "mallory@example.com");

    public RecordingChatChannel Chat => Services.GetRequiredService<RecordingChatChannel>();

    public OktaSandbox Okta => Services.GetRequiredService<OktaSandbox>();


    public IInboundHandler Bot => Services.GetRequiredService<IInboundHandler>();

    public ConversationRef DirectWith(ChatUser user) => new(RecordingChatChannel.Id, "dm-" + user.Id);

    public Task<Channels.InboundResult> SayAsync(ChatUser user, string text) =>
        DeliverAsync(new InboundMessage(DirectWith(user), user, text, null, Guid.NewGuid().ToString("N")));

    public Task<Channels.InboundResult> SubmitAsync(ChatUser user, System.Text.Json.Nodes.JsonObject value) =>
        DeliverAsync(new InboundMessage(DirectWith(user), user, null, value, Guid.NewGuid().ToString("N")));

    public Task<Channels.InboundResult> ClickAsync(ChatUser user, string verb, string requestId, ConversationRef? where = null) =>
        DeliverAsync(new InboundMessage(where ?? Chat.SupportConversation, user, null,
            new System.Text.Json.Nodes.JsonObject { ["verb"] = verb, ["requestId"] = requestId }, Guid.NewGuid().ToString("N")));

    /// <summary><paramref name="helpDesk"/> names <paramref name="target"/> and gets the on-behalf form; returns its draft id.</summary>
    public async Task<string> OnBehalfDraftAsync(ChatUser helpDesk, ChatUser target)
    {
        Chat.Directory.Add(target);
        await SayAsync(helpDesk, "/mfa-reset " + target.Email);
        var form = Chat.In("dm-" + helpDesk.Id).Last(m => m.Message.Card?.Template == "request-form");
        return form.Message.Card!.Data["onBehalfOf"]!["draft"]!.GetValue<string>();
    }

    /// <summary>What a channel adapter does: hand the message to the bot, then show the clicker their notice privately.</summary>
    public async Task<Channels.InboundResult> DeliverAsync(InboundMessage message)
    {
        var result = await Bot.HandleAsync(Chat, message, CancellationToken.None);
        if (result.Notice is { } notice)
        {
            await Chat.PostEphemeralAsync(message.Conversation, message.From, new ChatMessage(notice), CancellationToken.None);
        }

        await OutboxSettledAsync();
        return result;
    }

    /// <summary>
    /// The bot answers once a decision is stored; the chat messages it owes follow from the outbox in the background.
    /// Waits (bounded) until none is due any more: delivered, or deferred after a failure. Asserts nothing itself.
    /// </summary>
    public async Task OutboxSettledAsync()
    {
        var outbox = Services.GetRequiredService<Outbox>();
        for (var i = 0; i < 200 && (await outbox.RequestsDueAsync(Services.GetRequiredService<TimeProvider>().GetUtcNow(), CancellationToken.None)).Count > 0; i++)
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Waits (bounded) until the background worker has moved the request into one of <paramref name="states"/>.</summary>
    public async Task<ResetRequest> WaitForAsync(string requestId, params RequestState[] states)
    {
        var deadline = DateTimeOffset.UtcNow + Eventually.DefaultWithin;
        while (DateTimeOffset.UtcNow < deadline)
        {
            var request = await Store.FindAsync(requestId, CancellationToken.None);
            if (request is not null && states.Contains(request.State))
            {
                return request;
            }

            await Task.Delay(50);
        }

        var last = await Store.FindAsync(requestId, CancellationToken.None);
        throw new TimeoutException($"Request {requestId} stayed in {last?.State}, expected {string.Join(" or ", states)}.");
    }

    /// <summary>The owner types <paramref name="code"/> into the activation card, in their private chat.</summary>
    public Task<Channels.InboundResult> EnterCodeAsync(ChatUser owner, string requestId, string code) =>
        SubmitAsync(owner, new System.Text.Json.Nodes.JsonObject { ["verb"] = "activate", ["requestId"] = requestId, ["passCode"] = code });

    /// <summary>The owner asks for a new SMS, call or email code.</summary>
    public Task<Channels.InboundResult> ResendAsync(ChatUser owner, string requestId) =>
        SubmitAsync(owner, new System.Text.Json.Nodes.JsonObject { ["verb"] = "resendCode", ["requestId"] = requestId });

    /// <summary>The current code for the TOTP key the owner was shown, as their authenticator app would show it.</summary>
    public string TotpCodeFor(string sharedSecret) =>
        ChatOpsMfa.Okta.Sandbox.SandboxTotp.Code(sharedSecret, Services.GetRequiredService<TimeProvider>().GetUtcNow());

    /// <summary>The newest code the sandbox "sent" to this Okta user by SMS, call or email, as they would read it.</summary>
    public string LatestCodeSentTo(string oktaUserId) =>
        System.Text.RegularExpressions.Regex.Match(Okta.Inbox.Last(m => m.UserId == oktaUserId).Text, @"\b\d{6}\b").Value;

    /// <summary>The owner finishes the activation the way the factor asks for (app code or the code Okta sent), and it completes.</summary>
    public async Task<ResetRequest> ActivateAsync(ChatUser owner, string requestId)
    {
        var request = await WaitForAsync(requestId, RequestState.AwaitingActivation);
        string code;
        if (request.Factor.FactorType == "token:software:totp")
        {
            // The key card of this enrolment (after a retry, an earlier one may still be in the log).
            bool IsKeyCard(SentMessage m) => m.Message.Card?.Template == "result" && m.Message.Card.Data["sharedSecret"] is not null
                && m.Message.Card.Data["factorId"]?.GetValue<string>() == request.Result!.FactorId;
            await Eventually.WaitUntilAsync(() => Chat.Sent.Any(IsKeyCard), "the key card");
            code = TotpCodeFor(Chat.Sent.Last(IsKeyCard).Message.Card!.Data["sharedSecret"]!.GetValue<string>());
        }
        else
        {
            code = LatestCodeSentTo(request.Target.OktaUserId);
        }

        var answer = await EnterCodeAsync(owner, requestId, code);
        Assert.Contains("is active", answer.Notice);
        var done = await WaitForAsync(requestId, RequestState.Completed);
        await OutboxSettledAsync();
        return done;
    }

    public async Task<ResetRequest> OnlyRequestAsync() => Assert.Single(await AllRequestsAsync());

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.ConfigureTestServices(collection =>
        {
            collection.AddSingleton<RecordingChatChannel>();
            collection.AddSingleton<IChatChannel>(sp => sp.GetRequiredService<RecordingChatChannel>());
            collection.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, LoopbackCallerFilter>();
            services?.Invoke(collection);
        });
    }
}
