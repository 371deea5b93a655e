using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack.BlockKit;
using ChatOpsMfa.Channels.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack;

/// <summary>
/// Slack as the core sees it: posts, thread replies (<c>thread_ts</c>), in-place updates (<c>chat.update</c>),
/// ephemeral notices and DMs (<c>conversations.open</c>). Every card is rendered to Block Kit from its card data,
/// with Slack's limits enforced before sending. A message's image (a QR code) cannot sit in Block Kit as a data URI, so it
/// is uploaded as a file in the same conversation (<see cref="SlackFiles"/>), and deleted with the secret.
/// </summary>
public sealed partial class SlackChatChannel(
    SlackApiClient api, SlackFiles files, SlackUserDirectory users, IOptions<SlackOptions> options, ILogger<SlackChatChannel> logger) : IChatChannel
{
    public const string Id = "slack";

    public string ChannelId => Id;

    public ConversationRef SupportConversation => new(Id, options.Value.SupportChannelId, IsGroup: true);

    public Task<MessageRef> PostAsync(ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken) =>
        PostAsync(conversation, message, threadTs: null, cancellationToken);

    public Task<MessageRef> ReplyInThreadAsync(MessageRef root, ChatMessage message, CancellationToken cancellationToken) =>
        PostAsync(root.Conversation, message, root.ThreadId ?? root.MessageId, cancellationToken);

    /// <summary>
    /// Replaces the message in place (<c>chat.update</c>) and deletes every file posted with it (<c>files.delete</c>).
    /// A file already gone is fine; any other refusal is a delivery failure, so the outbox tries again.
    /// </summary>
    public async Task RemoveSecretAsync(MessageRef posted, ChatMessage replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        await UpdateAsync(posted, replacement with { Image = null }, cancellationToken);
        foreach (var fileId in posted.FileIds ?? [])
        {
            if (!await SlackDeliveryErrors.DeliverAsync(() => files.DeleteAsync(fileId, cancellationToken)))
            {
                LogFileAlreadyGone(fileId);
            }
        }
    }

    /// <summary>Deletes a message the bot posted (<c>chat.delete</c>); one already gone is fine.</summary>
    public async Task DeleteAsync(MessageRef posted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(posted);
        try
        {
            await CallAsync("chat.delete", new JsonObject { ["channel"] = posted.Conversation.ConversationId, ["ts"] = posted.MessageId }, cancellationToken);
        }
        catch (SlackApiException error) when (error.Error == "message_not_found")
        {
            LogMessageAlreadyGone(posted.MessageId);
        }
    }

    /// <summary>
    /// Posts the message; with an image, the image is uploaded first (not yet visible), the message posted, and then the
    /// file shared in the same conversation below it. When the share fails, the message and the file are taken back so
    /// the outbox's retry starts clean instead of leaving a second copy of a secret behind.
    /// </summary>
    private async Task<MessageRef> PostAsync(ConversationRef conversation, ChatMessage message, string? threadTs, CancellationToken cancellationToken)
    {
        var fileId = message.Image is { } image ? await SlackDeliveryErrors.DeliverAsync(() => files.UploadAsync(image, cancellationToken)) : null;
        var body = Body(conversation.ConversationId, message);
        if (threadTs is not null)
        {
            body["thread_ts"] = threadTs;
        }

        var posted = new MessageRef(conversation, Ts(await CallAsync("chat.postMessage", body, cancellationToken), "chat.postMessage"), threadTs);
        if (fileId is null)
        {
            return posted;
        }

        try
        {
            await SlackDeliveryErrors.DeliverAsync(() => files.ShareAsync(fileId, message.Image!.AltText, conversation.ConversationId, threadTs, null, cancellationToken));
        }
        catch (Exception error) when (error is SlackApiException or ChatDeliveryException)
        {
            await TakeBackAsync(posted, fileId, cancellationToken);
            throw;
        }

        return posted with { FileIds = [fileId] };
    }

    private async Task TakeBackAsync(MessageRef posted, string fileId, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteAsync(posted, cancellationToken);
            await files.DeleteAsync(fileId, cancellationToken);
        }
        catch (SlackApiException error)
        {
            // The share's own failure is what the caller must see; this one is only recorded.
            LogTakeBackFailed(error.Method, error.Error);
        }
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

    /// <summary>
    /// The DM with one person (<c>conversations.open</c>). Only a Slack user id is sent: <c>users</c> is a comma-separated
    /// list, so an id taken from elsewhere (a manager's Okta profile attribute) such as <c>U1,U2</c> would open a group
    /// DM with someone else in it. Anything that is not one user id is refused for good, before Slack is called.
    /// </summary>
    public async Task<ConversationRef> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!SlackIds.IsUserId(user.Id))
        {
            throw new ChatDeliveryException("a direct message can only be opened with one Slack user id (U… or W…), and this is none", permanent: true);
        }

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
        ReferenceEquals(form, Requests.MfaResetBot.FormMessage.Card) && intro == Requests.MfaResetBot.FormMessage.Text
            ? OpenViewAsync(triggerId, JsonValue.Create(PlainRequestModal.Value), cancellationToken)
            : OpenViewAsync(triggerId, RequestModal.Render(form, intro), cancellationToken);

    /// <summary>
    /// The plain request form's modal, rendered and serialised once: every <c>/mfa-reset</c> opens it, and rendering it
    /// per command was a third of the modal path's work under a burst (bench/slack). The view argument travels as a JSON
    /// string, written as it is into the JSON body (<see cref="SlackApiClient.JsonBody"/>).
    /// </summary>
    private static readonly Lazy<string> PlainRequestModal = new(() =>
        RequestModal.Render(Requests.MfaResetBot.FormMessage.Card!, Requests.MfaResetBot.FormMessage.Text).ToJsonString());

    /// <summary>Opens the modal where the code for <paramref name="requestId"/> is typed; returns the view id.</summary>
    public Task<string> OpenActivationCodeModalAsync(string triggerId, string requestId, CancellationToken cancellationToken) =>
        OpenViewAsync(triggerId, ActivationCodeModal.Render(requestId), cancellationToken);

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

    private async Task<string> OpenViewAsync(string triggerId, JsonNode view, CancellationToken cancellationToken)
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
            // become a link or an @channel; the people it mentions follow as <@U…>, so Slack notifies them. Slack caps
            // it at 40,000 characters.
            ["text"] = SlackMentions.Append(BlockText.Escape(message.Text), SlackMentions.Render(message.Mentions), BlockKitLimits.MessageText),
            ["blocks"] = blocks,
            ["unfurl_links"] = false,
        };
    }

    private static string Ts(JsonObject answer, string method) =>
        answer["ts"] is JsonValue ts && ts.TryGetValue<string>(out var text)
            ? text
            : throw new SlackApiException(method, "no_ts", "the answer had no message timestamp");

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack file {FileId} was already deleted")]
    private partial void LogFileAlreadyGone(string fileId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack message {Ts} was already deleted")]
    private partial void LogMessageAlreadyGone(string ts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sharing an image failed, and taking back its message failed too: Slack {Method} said {Error}")]
    private partial void LogTakeBackFailed(string method, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shortened a Slack message from the '{Template}' card to fit Block Kit limits: {Cuts}")]
    private partial void LogShortened(string template, string cuts);
}
