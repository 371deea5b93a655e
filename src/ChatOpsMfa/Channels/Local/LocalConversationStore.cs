using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Local;

/// <summary>All local conversations, in memory: the well-known support conversation and one personal conversation per start.</summary>
internal sealed class LocalConversationStore
{
    private readonly ConcurrentDictionary<string, LocalConversation> conversations = new(StringComparer.Ordinal);
    private readonly Lock creating = new();
    private readonly int capacity;
    private readonly int maxPersonal;
    private long startCount;

    public LocalConversationStore(IOptions<LocalChatOptions> options)
    {
        capacity = options.Value.MaxActivitiesPerConversation;
        maxPersonal = options.Value.MaxConversations;
        Support = new LocalConversation(options.Value.SupportConversationId, isGroup: true, ownerUserId: null, startOrder: 0, capacity);
        conversations[Support.Id] = Support;
    }

    public LocalConversation Support { get; }

    /// <summary>How many personal conversations exist (the support conversation is not one).</summary>
    public int PersonalCount => conversations.Count - 1;

    public LocalConversation? Find(string conversationId) =>
        conversations.TryGetValue(conversationId, out var conversation) ? conversation : null;

    /// <summary>A new personal conversation, or null when <see cref="LocalChatOptions.MaxConversations"/> are held already.</summary>
    public LocalConversation? TryCreatePersonal(string? ownerUserId)
    {
        // The count and the add happen together, so concurrent starts cannot overshoot the cap.
        lock (creating)
        {
            if (PersonalCount >= maxPersonal)
            {
                return null;
            }

            while (true)
            {
                var id = "dl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
                var conversation = new LocalConversation(id, isGroup: false, ownerUserId, Interlocked.Increment(ref startCount), capacity);
                if (conversations.TryAdd(id, conversation))
                {
                    return conversation;
                }
            }
        }
    }

    /// <summary>Drops a conversation nobody has been told about (its token could not be issued).</summary>
    public void Discard(LocalConversation conversation) => conversations.TryRemove(conversation.Id, out _);

    /// <summary>The error text when the cap is reached, naming the setting.</summary>
    public string CapReachedMessage =>
        $"The local chat already holds {maxPersonal} conversations (LocalChat:MaxConversations); restart the bot to start afresh.";

    /// <summary>The most recently started personal conversation of <paramref name="userId"/>, if any.</summary>
    public LocalConversation? LatestPersonalOf(string userId) =>
        conversations.Values
            .Where(c => !c.IsGroup && c.OwnerUserId == userId)
            .OrderByDescending(c => c.StartOrder)
            .FirstOrDefault();
}
