using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Local;

/// <summary>The bot's side of the local web chat: writes Bot Framework activities into the in-memory Direct Line store.</summary>
internal sealed class LocalChatChannel(
    LocalConversationStore store,
    DirectLineTokenIssuer tokens,
    IOptions<LocalChatOptions> options,
    TimeProvider time,
    ILogger<LocalChatChannel> logger,
    ILocalCardRenderer? cardRenderer = null) : IChatChannel
{
    public const string LocalChannelId = "local";

    /// <summary>The channelId on the wire: Web Chat talks to Direct Line, so it sees what Direct Line would send.</summary>
    public const string WireChannelId = "directline";

    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public static readonly ChatUser Bot = new("chatopsmfa-bot", "ChatOps MFA");

    public string ChannelId => LocalChannelId;

    public ConversationRef SupportConversation => RefFor(store.Support);

    public Task<MessageRef> PostAsync(ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = Require(conversation);
        var stored = target.Append(id => BotActivity(target, message, Timestamp(), replyToId: null, recipient: null), visibleToUserId: null);
        return Task.FromResult(new MessageRef(RefFor(target), stored.Id));
    }

    public Task<MessageRef> ReplyInThreadAsync(MessageRef root, ChatMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = Require(root.Conversation);
        var threadRoot = root.ThreadId ?? root.MessageId;
        var stored = target.Append(id => BotActivity(target, message, Timestamp(), threadRoot, recipient: null), visibleToUserId: null);
        return Task.FromResult(new MessageRef(RefFor(target), stored.Id, threadRoot));
    }

    public Task UpdateAsync(MessageRef posted, ChatMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = Require(posted.Conversation);

        // Keep the original timestamp, reply target and recipient so Web Chat puts the new version where the old one was.
        var replaced = target.Replace(posted.MessageId, previous => BotActivity(
            target,
            message,
            previous.Activity["timestamp"]?.GetValue<string>() ?? Timestamp(),
            previous.Activity["replyToId"]?.GetValue<string>(),
            previous.Activity["recipient"]?.DeepClone()));

        if (replaced is null)
        {
            LocalChatLog.UpdateTargetMissing(logger, target.Id, posted.MessageId);
            target.Append(id => BotActivity(target, message, Timestamp(), posted.ThreadId, recipient: null), visibleToUserId: null);
        }

        return Task.CompletedTask;
    }

    public Task PostEphemeralAsync(ConversationRef conversation, ChatUser user, ChatMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = Require(conversation);
        var recipient = new JsonObject { ["id"] = user.Id, ["name"] = user.Name, ["role"] = "user" };
        target.Append(id => BotActivity(target, message, Timestamp(), replyToId: null, recipient), visibleToUserId: user.Id);
        return Task.CompletedTask;
    }

    public Task<ConversationRef> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var personal = store.LatestPersonalOf(user.Id) ?? store.TryCreatePersonal(user.Id)
            ?? throw new ChatDeliveryException(store.CapReachedMessage, permanent: true);
        return Task.FromResult(RefFor(personal));
    }

    /// <summary>
    /// Local users have no directory: <c>{id}@{LocalChat:EmailDomain}</c> is user <c>id</c> (the reverse of
    /// <see cref="UserFor"/>), named as the page named them when they have a live token. Any other address is nobody.
    /// </summary>
    public Task<ChatUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var at = email.LastIndexOf('@');
        if (at <= 0 || !string.Equals(email[(at + 1)..], options.Value.EmailDomain, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult<ChatUser?>(null);
        }

        var userId = email[..at];
        return Task.FromResult(DirectLineRequestReader.IsValidUserId(userId)
            ? UserFor(userId, tokens.NameOf(userId)) with { Channel = LocalChannelId }
            : null);
    }

    public static ConversationRef RefFor(LocalConversation conversation) =>
        new(LocalChannelId, conversation.Id, conversation.IsGroup);

    /// <summary>The neutral user behind a local user id; local users have no directory, so the e-mail is derived.</summary>
    public ChatUser UserFor(string userId, string? name) =>
        new(userId, string.IsNullOrWhiteSpace(name) ? userId : name, $"{userId}@{options.Value.EmailDomain}");

    public string Timestamp() =>
        time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private LocalConversation Require(ConversationRef conversation)
    {
        if (conversation.ChannelId != LocalChannelId)
        {
            throw new ArgumentException($"Conversation belongs to channel '{conversation.ChannelId}', not '{LocalChannelId}'.", nameof(conversation));
        }

        return store.Find(conversation.ConversationId)
            ?? throw new ChatDeliveryException(
                $"Local conversation '{conversation.ConversationId}' does not exist (the local channel keeps conversations in memory only, so a restart forgets them).",
                permanent: true);
    }

    private JsonObject BotActivity(LocalConversation conversation, ChatMessage message, string timestamp, string? replyToId, JsonNode? recipient)
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["timestamp"] = timestamp,
            ["channelId"] = WireChannelId,
            ["from"] = new JsonObject { ["id"] = Bot.Id, ["name"] = Bot.Name, ["role"] = "bot" },
            ["conversation"] = new JsonObject { ["id"] = conversation.Id, ["isGroup"] = conversation.IsGroup },
        };

        // A card says everything its text says; the text becomes the notification summary, as in Teams.
        var (text, mentions) = WithMentions(message);
        activity[message.Card is null ? "text" : "summary"] = text;
        if (mentions is not null)
        {
            activity["entities"] = mentions;
        }

        if (recipient is not null)
        {
            activity["recipient"] = recipient;
        }

        if (replyToId is not null)
        {
            activity["replyToId"] = replyToId;
        }

        if (message.Card is not null)
        {
            var renderer = cardRenderer ?? throw new InvalidOperationException(
                $"The local chat cannot show card '{message.Card.Template}': no {nameof(ILocalCardRenderer)} is registered.");
            activity["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = AdaptiveCardContentType,
                ["content"] = renderer.Render(message.Card).DeepClone(),
            });
        }

        return activity;
    }

    /// <summary>
    /// The text with "@Name" appended for each person to notify, and a Bot Framework <c>mention</c> entity for each
    /// (what Teams sends, with the text the mention stands for), so Web Chat and any Bot Framework client see who is meant.
    /// </summary>
    private (string Text, JsonArray? Entities) WithMentions(ChatMessage message)
    {
        var people = (message.Mentions ?? []).DistinctBy(person => person.Id).ToList();
        if (people.Count == 0)
        {
            return (message.Text, null);
        }

        var entities = new JsonArray();
        var tags = new List<string>();
        foreach (var person in people)
        {
            // The core knows an approver listed by chat id by that id alone; the page may have given them a name.
            var name = person.Name == person.Id && tokens.NameOf(person.Id) is { } known ? known : person.Name;
            var tag = "@" + name;
            tags.Add(tag);
            entities.Add(new JsonObject
            {
                ["type"] = "mention",
                ["mentioned"] = new JsonObject { ["id"] = person.Id, ["name"] = name },
                ["text"] = tag,
            });
        }

        return ($"{message.Text} {string.Join(' ', tags)}", entities);
    }
}
