using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Local;

/// <summary>All local conversations, in memory: the well-known support conversation and one personal conversation per start.</summary>
internal sealed class LocalConversationStore
{
    private readonly ConcurrentDictionary<string, LocalConversation> conversations = new(StringComparer.Ordinal);
    private readonly int capacity;
    private long startCount;

    public LocalConversationStore(IOptions<LocalChatOptions> options)
    {
        capacity = options.Value.MaxActivitiesPerConversation;
        Support = new LocalConversation(options.Value.SupportConversationId, isGroup: true, ownerUserId: null, startOrder: 0, capacity);
        conversations[Support.Id] = Support;
    }

    public LocalConversation Support { get; }

    public LocalConversation? Find(string conversationId) =>
        conversations.TryGetValue(conversationId, out var conversation) ? conversation : null;

    public LocalConversation CreatePersonal(string? ownerUserId)
    {
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

    /// <summary>The most recently started personal conversation of <paramref name="userId"/>, if any.</summary>
    public LocalConversation? LatestPersonalOf(string userId) =>
        conversations.Values
            .Where(c => !c.IsGroup && c.OwnerUserId == userId)
            .OrderByDescending(c => c.StartOrder)
            .FirstOrDefault();
}
