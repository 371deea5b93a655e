using System.Collections.Concurrent;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Tests.Cards;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>
/// A chat platform in memory. It records everything the bot sends, and like a real one it refuses what a platform
/// would: updates and thread replies to messages that were never posted, and cards that are not valid Adaptive Cards 1.5.
/// </summary>
internal sealed class RecordingChatChannel : IChatChannel
{
    public const string Id = "test";

    private readonly AdaptiveCardRenderer _renderer = new();
    private int _nextId;
    private int _failuresLeft;
    private volatile TaskCompletionSource? _held;

    public RecordingChatChannel(string supportConversationId = "support")
    {
        SupportConversation = new ConversationRef(Id, supportConversationId, IsGroup: true);
    }

    public string ChannelId => Id;

    public ConversationRef SupportConversation { get; }

    public ConcurrentQueue<SentMessage> Sent { get; } = new();

    /// <summary>How many sends were refused while the platform was "down".</summary>
    public int Refused { get; private set; }

    /// <summary>The platform is down for the next <paramref name="count"/> sends: they fail as an HTTP call would.</summary>
    public void FailNext(int count) => _failuresLeft = count;

    /// <summary>Posts into this conversation are refused for good, as a user who blocked the bot is.</summary>
    public string? RefuseForeverIn { get; set; }

    public IEnumerable<SentMessage> In(string conversationId) => Sent.Where(m => m.Conversation.ConversationId == conversationId);

    /// <summary>The latest version of a posted message (after its updates).</summary>
    public SentMessage Latest(string messageId) => Sent.Last(m => m.MessageId == messageId);

    /// <summary>
    /// The platform holds every post, reply and update until the returned handle is disposed, as a slow platform
    /// would: the bot's calls are made, and answered only then.
    /// </summary>
    public IDisposable Hold()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held = held;
        return new Release(() =>
        {
            _held = null;
            held.TrySetResult();
        });
    }

    public async Task<MessageRef> PostAsync(ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken)
    {
        await WhileHeldAsync(cancellationToken);
        var posted = new MessageRef(conversation, Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Record(SentKind.Post, posted, message, null);
        return posted;
    }

    public async Task<MessageRef> ReplyInThreadAsync(MessageRef root, ChatMessage message, CancellationToken cancellationToken)
    {
        await WhileHeldAsync(cancellationToken);
        EnsurePosted(root);
        var reply = new MessageRef(root.Conversation, Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture), root.MessageId);
        Record(SentKind.ThreadReply, reply, message, null);
        return reply;
    }

    public async Task UpdateAsync(MessageRef posted, ChatMessage message, CancellationToken cancellationToken)
    {
        await WhileHeldAsync(cancellationToken);
        EnsurePosted(posted);
        Record(SentKind.Update, posted, message, null);
    }

    public Task PostEphemeralAsync(ConversationRef conversation, ChatUser user, ChatMessage message, CancellationToken cancellationToken)
    {
        var posted = new MessageRef(conversation, Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Record(SentKind.Ephemeral, posted, message, user);
        return Task.CompletedTask;
    }

    public Task<ConversationRef> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken) =>
        Task.FromResult(new ConversationRef(Id, "dm-" + user.Id));

    /// <summary>The platform's directory: who can be found by email.</summary>
    public List<ChatUser> Directory { get; } = [];

    public Task<ChatUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult(Directory.FirstOrDefault(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)));

    private async Task WhileHeldAsync(CancellationToken cancellationToken)
    {
        if (_held is { } held)
        {
            await held.Task.WaitAsync(cancellationToken);
        }
    }

    private void EnsurePosted(MessageRef message)
    {
        if (!Sent.Any(m => m.MessageId == message.MessageId && m.Kind is SentKind.Post or SentKind.ThreadReply))
        {
            throw new InvalidOperationException($"Message {message.MessageId} was never posted.");
        }
    }

    private void Record(SentKind kind, MessageRef posted, ChatMessage message, ChatUser? onlyFor)
    {
        if (RefuseForeverIn is { } refused && posted.Conversation.ConversationId == refused && kind == SentKind.Post)
        {
            throw new Channels.ChatDeliveryException("The user blocked the bot (test).", permanent: true);
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Refused++;
            throw new HttpRequestException("The chat platform is down (test).");
        }

        System.Text.Json.Nodes.JsonObject? card = null;
        if (message.Card is not null)
        {
            card = _renderer.Render(message.Card);
            var errors = AdaptiveCardSchema.FindErrors(card);
            if (errors.Count > 0)
            {
                throw new InvalidOperationException($"Card '{message.Card.Template}' is not a valid Adaptive Card 1.5: {string.Join("; ", errors)}");
            }
        }

        Sent.Enqueue(new SentMessage(kind, posted.Conversation, posted.MessageId, posted.ThreadId, message, card, onlyFor));
    }
}

internal sealed class Release(Action release) : IDisposable
{
    public void Dispose() => release();
}

internal enum SentKind
{
    Post,
    ThreadReply,
    Update,
    Ephemeral,
}

/// <summary>One thing the bot sent, with the Adaptive Card it rendered to.</summary>
internal sealed record SentMessage(
    SentKind Kind,
    ConversationRef Conversation,
    string MessageId,
    string? ThreadId,
    ChatMessage Message,
    System.Text.Json.Nodes.JsonObject? Card,
    ChatUser? OnlyFor)
{
    /// <summary>Everything a person could read in it: the text and the whole rendered card.</summary>
    public string Visible => Message.Text + "\n" + Card?.ToJsonString(Readable);

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
