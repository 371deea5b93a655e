using ChatOpsMfa.Channels.Teams.Connector;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Maps a Teams member to the neutral <see cref="ChatUser"/>: the Entra object id as the stable id, and the
/// configured member attribute (email or UPN) as the address the Okta login is found by. Both come only from the
/// Connector (the member map in the database, filled from the support team's roster and from lookups); an
/// activity's own <c>from.aadObjectId</c> and <c>from.name</c> are never trusted for who someone is.
/// </summary>
internal sealed partial class TeamsUserResolver(
    ConnectorClient connector, TeamsDirectory directory, IOptions<TeamsOptions> options, ILogger<TeamsUserResolver> logger)
{
    /// <summary>How long a member the Connector described is used before it is looked up again.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(30);

    /// <summary>The person who sent <paramref name="activity"/>, or null when the Connector could not say who they are.</summary>
    public async Task<ChatUser?> ResolveAsync(TeamsInboundActivity activity, string tenantId, Uri serviceUrl, CancellationToken cancellationToken)
    {
        var memberId = activity.FromId!;
        var member = await MemberAsync(tenantId, serviceUrl, activity.ConversationId!, memberId, cancellationToken);
        if (member?.AadObjectId is not { } objectId)
        {
            return null;
        }

        return new ChatUser(objectId, member.Name ?? memberId, EmailOf(member));
    }

    /// <summary>
    /// The people a message mentions, with their email, for a help-desk request on someone's behalf. The bot itself
    /// (the activity's recipient) and other bots (<c>28:</c> ids) are left out, and so is anyone whose email the
    /// Connector does not give: the core cannot reach or match them. A member is looked up in the conversation the
    /// message came from and, failing that (a 1:1 chat holds only its user), in the support channel's team.
    /// </summary>
    public async Task<IReadOnlyList<ChatUser>> ResolveMentionsAsync(
        TeamsInboundActivity activity, string tenantId, Uri serviceUrl, CancellationToken cancellationToken)
    {
        var people = new List<ChatUser>();
        foreach (var mention in activity.Mentions ?? [])
        {
            if (mention.Id == activity.RecipientId || !mention.Id.StartsWith("29:", StringComparison.Ordinal))
            {
                continue;
            }

            var member = await MemberAsync(tenantId, serviceUrl, activity.ConversationId!, mention.Id, cancellationToken)
                ?? await MemberAsync(tenantId, serviceUrl, options.Value.SupportChannelId, mention.Id, cancellationToken);
            if (member?.AadObjectId is not { } objectId || EmailOf(member) is not { } email)
            {
                continue;
            }

            people.Add(new ChatUser(objectId, member.Name ?? mention.Id, email));
        }

        return people;
    }

    private string? EmailOf(TeamsMember member) =>
        options.Value.UserEmailAttribute == "userPrincipalName" ? member.UserPrincipalName : member.Email;

    private async Task<TeamsMember?> MemberAsync(
        string tenantId, Uri serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        if (await directory.MemberAsync(tenantId, memberId, CacheFor, cancellationToken) is { } known)
        {
            return known;
        }

        TeamsMember member;
        try
        {
            member = await connector.GetMemberAsync(serviceUrl, TeamsDirectory.ThreadRoot(conversationId), memberId, cancellationToken);
        }
        catch (ConnectorCallException error)
        {
            // Unknown is unknown: the bot decides nothing for this person, and the log says why.
            // The id comes from the (authenticated) activity; still keep control characters out of the log line.
            LogLookupFailed(logger, LogSafe(memberId), LogSafe(error.Message));
            return null;
        }

        // The Connector answers for the conversation's tenant; a member of another tenant is not one of ours.
        if (member.Id != memberId || (member.TenantId is { } memberTenant && !string.Equals(memberTenant, tenantId, StringComparison.OrdinalIgnoreCase)))
        {
            LogLookupFailed(logger, LogSafe(memberId), "the Connector described someone else or another tenant");
            return null;
        }

        await directory.RememberMembersAsync(tenantId, [member], cancellationToken);
        return member;
    }

    private static string LogSafe(string text) =>
        string.Concat(text.Take(200).Select(c => char.IsControl(c) ? '?' : c));

    [LoggerMessage(EventId = 4430, Level = LogLevel.Warning, Message = "Could not look up Teams member {MemberId}: {Problem}")]
    private static partial void LogLookupFailed(ILogger logger, string memberId, string problem);
}
