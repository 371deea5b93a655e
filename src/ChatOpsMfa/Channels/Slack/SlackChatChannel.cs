using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack.BlockKit;
using ChatOpsMfa.Channels.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack;

/// <summary>
/// Slack as the core sees it: posts, thread replies (<c>thread_ts</c>), in-place updates (<c>chat.update</c>),
/// ephemeral notices and DMs (<c>conversations.open</c>). Every card is rendered to Block Kit from its card data,
/// with Slack's limits enforced before sending.
/// </summary>
public sealed partial class SlackChatChannel(
    SlackApiClient api, SlackUserDirectory users, IOptions<SlackOptions> options, ILogger<SlackChatChannel> logger) : IChatChannel
{
    public const string Id = "slack";

    public string ChannelId => Id;

    public ConversationRef SupportConversation => new(Id, options.Value.SupportChannelId, IsGroup: true);

    public async Task<MessageRef> PostAsync(ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("chat.postMessage", Body(conversation.ConversationId, message), cancellationToken);
        return new MessageRef(conversation, Ts(answer, "chat.postMessage"));
    }

    public async Task<MessageRef> ReplyInThreadAsync(MessageRef root, ChatMessage message, CancellationToken cancellationToken)
    {
        var threadTs = root.ThreadId ?? root.MessageId;
        var body = Body(root.Conversation.ConversationId, message);
        body["thread_ts"] = threadTs;
        var answer = await CallAsync("chat.postMessage", body, cancellationToken);
        return new MessageRef(root.Conversation, Ts(answer, "chat.postMessage"), threadTs);
    }

    public async Task UpdateAsync(MessageRef posted, ChatMessage message, CancellationToken cancellationToken)
    {
        var body = Body(posted.Conversation.ConversationId, message);
        body["ts"] = posted.MessageId;
        await CallAsync("chat.update", body, cancellationToken);
    }

    public async Task PostEphemeralAsync(ConversationRef conversation, ChatUser user, ChatMessage message, CancellationToken cancellationToken)
    {
        var body = Body(conversation.ConversationId, message);
        body["user"] = user.Id;
        await CallAsync("chat.postEphemeral", body, cancellationToken);
    }

    public async Task<ConversationRef> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken)
    {
        var answer = await CallAsync("conversations.open", new JsonObject { ["users"] = user.Id }, cancellationToken);
        var channelId = answer["channel"]?["id"] is JsonValue id && id.TryGetValue<string>(out var text) ? text : null;
        return channelId is null
            ? throw new SlackApiException("conversations.open", "no_channel", "the answer had no channel id")
            : new ConversationRef(Id, channelId, IsGroup: false);
    }

    /// <summary>Slack can look people up by email (<c>users.lookupByEmail</c>), for <c>/mfa-reset someone@example.com</c>.</summary>
    public Task<ChatUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) =>
        users.FindByEmailAsync(email, cancellationToken);

    /// <summary>Opens the request modal; must run right after the command or click (the trigger id lives 3 s).</summary>
    public Task OpenRequestModalAsync(string triggerId, CancellationToken cancellationToken) =>
        OpenRequestModalAsync(triggerId, Requests.MfaResetBot.FormMessage.Card!, Requests.MfaResetBot.FormMessage.Text, cancellationToken);

    /// <summary>Opens the modal for this request-form card (e.g. one made on someone's behalf); returns the view id.</summary>
    public Task<string> OpenRequestModalAsync(string triggerId, CardContent form, string intro, CancellationToken cancellationToken) =>
        OpenViewAsync(triggerId, RequestModal.Render(form, intro), cancellationToken);

    /// <summary>
    /// Opens a "looking that person up" modal at once, so the trigger id is spent before it expires; the answer fills it
    /// later with <see cref="UpdateModalAsync"/>. Returns the view id.
    /// </summary>
    public Task<string> OpenPlaceholderModalAsync(string triggerId, CancellationToken cancellationToken) =>
        OpenViewAsync(triggerId, NoticeModal.Render(NoticeModal.PlaceholderText), cancellationToken);

    /// <summary>Replaces an open modal with the request form (<c>views.update</c>, which needs no trigger id).</summary>
    public Task UpdateModalAsync(string viewId, CardContent form, string intro, CancellationToken cancellationToken) =>
        api.CallAsync("views.update", new JsonObject { ["view_id"] = viewId, ["view"] = RequestModal.Render(form, intro) }, cancellationToken);

    /// <summary>Replaces an open modal with a notice (a refusal, "nobody found").</summary>
    public Task UpdateModalAsync(string viewId, string notice, CancellationToken cancellationToken) =>
        api.CallAsync("views.update", new JsonObject { ["view_id"] = viewId, ["view"] = NoticeModal.Render(notice) }, cancellationToken);

    private async Task<string> OpenViewAsync(string triggerId, JsonObject view, CancellationToken cancellationToken)
    {
        var answer = await api.CallAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view }, cancellationToken);
        return answer["view"]?["id"] is JsonValue id && id.TryGetValue<string>(out var text)
            ? text
            : throw new SlackApiException("views.open", "no_view_id", "the answer had no view id");
    }

    /// <summary>A delivery call: Slack's permanent refusals (archived, not in channel, …) become permanent delivery failures.</summary>
    private Task<JsonObject> CallAsync(string method, JsonObject arguments, CancellationToken cancellationToken) =>
        SlackDeliveryErrors.DeliverAsync(() => api.CallAsync(method, arguments, cancellationToken));

    private JsonObject Body(string channel, ChatMessage message)
    {
        var blocks = BlockKitRenderer.RenderMessage(message, out var cuts);
        if (cuts.Count > 0)
        {
            LogShortened(message.Card?.Template ?? "text", string.Join("; ", cuts));
        }

        return new JsonObject
        {
            ["channel"] = channel,
            // The text is the notification and screen-reader fallback, parsed as mrkdwn: escaped so no name in it can
            // become a link or an @channel. Slack caps it at 40,000 characters.
            ["text"] = BlockKitLimits.Shorten(BlockKit.BlockText.Escape(message.Text), BlockKitLimits.MessageText),
            ["blocks"] = blocks,
            ["unfurl_links"] = false,
        };
    }

    private static string Ts(JsonObject answer, string method) =>
        answer["ts"] is JsonValue ts && ts.TryGetValue<string>(out var text)
            ? text
            : throw new SlackApiException(method, "no_ts", "the answer had no message timestamp");

    [LoggerMessage(Level = LogLevel.Information, Message = "Shortened a Slack message from the '{Template}' card to fit Block Kit limits: {Cuts}")]
    private partial void LogShortened(string template, string cuts);
}
