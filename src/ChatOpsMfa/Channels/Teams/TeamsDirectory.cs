using ChatOpsMfa.Channels.Teams.Connector;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// What the bot needs for proactive messages, learnt only from authenticated sources and kept in the database: the
/// serviceUrl of each conversation (from validated activities, keyed by tenant and conversation), and the Teams
/// members (<c>29:…</c> ids) the Connector described. A conversation never heard from uses the configured
/// <c>Teams:ServiceUrl</c>; an activity never changes where any other conversation's messages go.
/// </summary>
internal sealed class TeamsDirectory(TeamsDirectoryStore store, IOptions<TeamsOptions> options, TimeProvider time)
{
    // No copy in memory: with several instances on one database, another may have learnt a newer serviceUrl. So the
    // database is read every time (one indexed row), and written only when an activity says something else than it
    // holds: an activity costs a read, not a durable write.
    public async Task RememberServiceUrlAsync(string tenantId, string conversationId, Uri serviceUrl, CancellationToken cancellationToken)
    {
        var root = ThreadRoot(conversationId);
        if (await store.FindServiceUrlAsync(tenantId, root, cancellationToken) != serviceUrl)
        {
            await store.SaveServiceUrlAsync(tenantId, root, serviceUrl, time.GetUtcNow(), cancellationToken);
        }
    }

    /// <summary>Where to reach <paramref name="conversation"/>: what its own activities said, else <c>Teams:ServiceUrl</c>.</summary>
    public async Task<Uri> ServiceUrlForAsync(ConversationRef conversation, CancellationToken cancellationToken)
    {
        var tenant = conversation.TenantId ?? options.Value.HomeTenantId;
        if (tenant is not null && await store.FindServiceUrlAsync(tenant, ThreadRoot(conversation.ConversationId), cancellationToken) is { } stored)
        {
            return stored;
        }

        return new Uri(options.Value.ServiceUrl);
    }

    public Task RememberMembersAsync(string tenantId, IReadOnlyCollection<TeamsMember> members, CancellationToken cancellationToken) =>
        store.SaveMembersAsync(tenantId, members, time.GetUtcNow(), cancellationToken);

    /// <summary>A member the Connector described at most <paramref name="maximumAge"/> ago.</summary>
    public Task<TeamsMember?> MemberAsync(string tenantId, string memberId, TimeSpan maximumAge, CancellationToken cancellationToken) =>
        store.FindMemberAsync(tenantId, memberId, time.GetUtcNow() - maximumAge, cancellationToken);

    /// <summary>The member whose Entra object id, email or UPN this is (an approver as configured).</summary>
    public Task<TeamsMember?> MemberByUserAsync(string aadObjectIdOrEmail, CancellationToken cancellationToken) =>
        store.FindMemberByUserAsync(aadObjectIdOrEmail, cancellationToken);

    /// <summary>
    /// The member of the pinned tenant (the support channel's, <see cref="TeamsOptions.HomeTenantId"/>) with this Entra
    /// object id; null when the tenant is not pinned (several allowed) or the Connector never described them.
    /// </summary>
    public Task<TeamsMember?> HomeMemberByObjectIdAsync(string aadObjectId, CancellationToken cancellationToken) =>
        options.Value.HomeTenantId is { } tenant && !string.IsNullOrWhiteSpace(aadObjectId)
            ? store.FindMemberInTenantAsync(tenant, MemberKey.AadObjectId, aadObjectId.Trim(), cancellationToken)
            : Task.FromResult<TeamsMember?>(null);

    /// <summary>
    /// The member of the pinned tenant whose address, in the attribute the channel reads as the Okta login
    /// (<c>Teams:UserEmailAttribute</c>), is <paramref name="address"/>; the other attribute is never compared.
    /// </summary>
    public Task<TeamsMember?> HomeMemberByAddressAsync(string address, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.HomeTenantId is not { } tenant || string.IsNullOrWhiteSpace(address))
        {
            return Task.FromResult<TeamsMember?>(null);
        }

        var column = settings.UserEmailAttribute == "userPrincipalName" ? MemberKey.UserPrincipalName : MemberKey.Email;
        return store.FindMemberInTenantAsync(tenant, column, address.Trim(), cancellationToken);
    }

    /// <summary>A channel thread's conversation id is the channel's plus <c>;messageid=…</c>; both share one serviceUrl.</summary>
    public static string ThreadRoot(string conversationId)
    {
        var cut = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return cut < 0 ? conversationId : conversationId[..cut];
    }
}
