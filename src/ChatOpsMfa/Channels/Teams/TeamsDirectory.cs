using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// What the bot has learnt from authenticated activities and needs later for proactive messages: which serviceUrl
/// serves a conversation or tenant, and which Teams member id (<c>29:…</c>) belongs to an Entra object id or email.
/// Held in memory; after a restart the configured <c>Teams:ServiceUrl</c> is used until the next activity arrives.
/// </summary>
internal sealed class TeamsDirectory(IOptions<TeamsOptions> options)
{
    private const int MaximumEntries = 50_000;

    private readonly ConcurrentDictionary<string, Uri> _serviceUrlByConversation = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Uri> _serviceUrlByTenant = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _memberIdByUser = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _tenantByUser = new(StringComparer.OrdinalIgnoreCase);

    public void RememberServiceUrl(string conversationId, string? tenantId, Uri serviceUrl)
    {
        Put(_serviceUrlByConversation, ThreadRoot(conversationId), serviceUrl);
        if (!string.IsNullOrEmpty(tenantId))
        {
            Put(_serviceUrlByTenant, tenantId, serviceUrl);
        }
    }

    /// <summary>Remembers a member's Teams id under their Entra object id and their email, as found.</summary>
    public void RememberMember(string memberId, string? aadObjectId, string? email, string? tenantId)
    {
        if (!string.IsNullOrEmpty(aadObjectId) && !string.IsNullOrEmpty(tenantId))
        {
            Put(_tenantByUser, aadObjectId, tenantId);
        }

        if (!string.IsNullOrEmpty(aadObjectId))
        {
            Put(_memberIdByUser, aadObjectId, memberId);
        }

        if (!string.IsNullOrEmpty(email))
        {
            Put(_memberIdByUser, email, memberId);
        }
    }

    public string? MemberIdOf(string aadObjectIdOrEmail) => _memberIdByUser.GetValueOrDefault(aadObjectIdOrEmail);

    public string? TenantOf(string aadObjectId) => _tenantByUser.GetValueOrDefault(aadObjectId);

    public Uri ServiceUrlFor(ConversationRef conversation) =>
        _serviceUrlByConversation.GetValueOrDefault(ThreadRoot(conversation.ConversationId))
        ?? (conversation.TenantId is { } tenant ? _serviceUrlByTenant.GetValueOrDefault(tenant) : null)
        ?? _serviceUrlByTenant.Values.FirstOrDefault()
        ?? new Uri(options.Value.ServiceUrl);

    /// <summary>A channel thread's conversation id is the channel's plus <c>;messageid=…</c>; both share one serviceUrl.</summary>
    public static string ThreadRoot(string conversationId)
    {
        var cut = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return cut < 0 ? conversationId : conversationId[..cut];
    }

    // A bound on memory: ids arrive from authenticated traffic only, but a busy tenant should not grow this forever.
    private static void Put<T>(ConcurrentDictionary<string, T> map, string key, T value)
    {
        if (map.Count >= MaximumEntries && !map.ContainsKey(key))
        {
            map.Clear();
        }

        map[key] = value;
    }
}
