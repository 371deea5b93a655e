using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels;

// The channel-neutral conversation model. The request logic speaks only these types; each platform
// (local web chat, Teams, Slack) translates them to and from its own wire format.

/// <summary>A person in a chat. <see cref="Id"/> is the platform's stable user id.</summary>
public sealed record ChatUser(string Id, string Name, string? Email = null)
{
    /// <summary>The channel the id belongs to ("slack", "msteams", "local"), stamped by the bot on everything it
    /// receives; with <c>Identity:Binding=OktaAttribute</c> it picks which Okta profile attribute holds the id.</summary>
    public string? Channel { get; init; }
}

/// <summary>A conversation on one channel. <see cref="ChannelId"/> names the channel ("local", "msteams", "slack").</summary>
public sealed record ConversationRef(string ChannelId, string ConversationId, bool IsGroup = false, string? TenantId = null);

/// <summary>A message the bot posted, so it can be updated and replied to later.</summary>
/// <param name="ThreadId">The id of the thread root the message sits in, when it is a reply.</param>
/// <param name="FileIds">Files the platform stores for the message (Slack's uploaded QR image), deleted with it.</param>
public sealed record MessageRef(ConversationRef Conversation, string MessageId, string? ThreadId = null, IReadOnlyList<string>? FileIds = null);

/// <summary>
/// A picture that goes with a message (a QR code). Cards that can embed it carry it as a data URI; a platform whose
/// messages cannot (Slack) uploads it as a file in the same conversation. May be secret: never log it.
/// </summary>
public sealed record ChatImage(byte[] Png, string AltText, string FileName)
{
    public string DataUri => "data:image/png;base64," + Convert.ToBase64String(Png);

    public override string ToString() => $"ChatImage {{ FileName = {FileName}, Bytes = {Png.Length} }}";
}

/// <summary>A card to show: the name of a template in <c>cards/</c> and the data to bind into it.</summary>
public sealed record CardContent(string Template, JsonObject Data);

/// <summary>What the bot says: plain text always (fallback, notifications, Slack's <c>text</c>), a card optionally.</summary>
/// <param name="Image">A picture for the message; a card that shows it also has it in its data as a data URI.</param>
/// <param name="Mentions">People to notify by name (a reminder to the approvers): each platform appends them to the
/// text its own way (Slack <c>&lt;@U…&gt;</c>, a Teams mention entity, "@name" in the local chat).</param>
public sealed record ChatMessage(string Text, CardContent? Card = null, ChatImage? Image = null, IReadOnlyList<ChatUser>? Mentions = null);

/// <summary>Something a user said or clicked. <see cref="Value"/> carries card input and action data.</summary>
/// <param name="Mentions">People the message mentions, resolved by the platform (Teams/Slack mentions), email filled in.</param>
public sealed record InboundMessage(
    ConversationRef Conversation,
    ChatUser From,
    string? Text,
    JsonObject? Value,
    string ActivityId,
    string? ReplyToId = null,
    IReadOnlyList<ChatUser>? Mentions = null);

/// <summary>One chat platform, as the request logic sees it.</summary>
public interface IChatChannel
{
    /// <summary>"local", "msteams" or "slack".</summary>
    string ChannelId { get; }

    /// <summary>The channel where approval cards go.</summary>
    ConversationRef SupportConversation { get; }

    Task<MessageRef> PostAsync(ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken);

    Task<MessageRef> ReplyInThreadAsync(MessageRef root, ChatMessage message, CancellationToken cancellationToken);

    /// <summary>Replaces a posted message in place, for everyone who sees it.</summary>
    Task UpdateAsync(MessageRef posted, ChatMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a message that held a secret (a setup key, a QR code) with <paramref name="replacement"/> and deletes
    /// whatever the platform kept of it besides (Slack: the uploaded file). Nothing of the secret may remain.
    /// </summary>
    Task RemoveSecretAsync(MessageRef posted, ChatMessage replacement, CancellationToken cancellationToken) =>
        UpdateAsync(posted, replacement, cancellationToken);

    /// <summary>A message only <paramref name="user"/> sees, in <paramref name="conversation"/>.</summary>
    Task PostEphemeralAsync(ConversationRef conversation, ChatUser user, ChatMessage message, CancellationToken cancellationToken);

    /// <summary>The private 1:1 conversation between the bot and <paramref name="user"/>.</summary>
    Task<ConversationRef> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken);

    /// <summary>The chat user with this email, when the platform can look people up by email; null otherwise.</summary>
    Task<ChatUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) => Task.FromResult<ChatUser?>(null);
}

/// <summary>
/// What the channel should show the person who acted, beyond what the bot posted: the clicked card as it now stands
/// (Teams answers an <c>Action.Execute</c> invoke with it), and a notice for that person alone (a refusal, an
/// error). Each platform shows these its own way: an invoke response, an ephemeral message, a private activity.
/// </summary>
public sealed record InboundResult(ChatMessage? RefreshedCard = null, string? Notice = null)
{
    public static InboundResult None { get; } = new();
}

/// <summary>The bot's brain: every channel hands what users say and click to this one handler.</summary>
public interface IInboundHandler
{
    Task<InboundResult> HandleAsync(IChatChannel channel, InboundMessage message, CancellationToken cancellationToken);
}
