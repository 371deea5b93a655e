using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>Finds the channel a request came from, so background work can answer on the same platform.</summary>
public sealed class ChannelRegistry(IEnumerable<IChatChannel> channels)
{
    private readonly Dictionary<string, IChatChannel> _byId = channels.ToDictionary(c => c.ChannelId, StringComparer.Ordinal);

    public IChatChannel? Find(string channelId) => _byId.GetValueOrDefault(channelId);
}
