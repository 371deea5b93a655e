using System.Collections.Concurrent;
using ChatOpsMfa.Channels.Teams.Connector;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Maps a Teams member to the neutral <see cref="ChatUser"/>: the Entra object id as the stable id, and the
/// configured member attribute (email or UPN) as the address the Okta login is found by. Lookups are cached.
/// </summary>
internal sealed partial class TeamsUserResolver(
    ConnectorClient connector, TeamsDirectory directory, IOptions<TeamsOptions> options, TimeProvider time, ILogger<TeamsUserResolver> logger)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, (TeamsMember Member, DateTimeOffset At)> _members = new(StringComparer.Ordinal);

    public async Task<ChatUser> ResolveAsync(TeamsInboundActivity activity, Uri serviceUrl, CancellationToken cancellationToken)
    {
        var memberId = activity.FromId!;
        var member = await MemberAsync(serviceUrl, activity.ConversationId!, memberId, cancellationToken);
        var objectId = member?.AadObjectId ?? activity.FromAadObjectId;
        var email = member is null ? null
            : options.Value.UserEmailAttribute == "userPrincipalName" ? member.UserPrincipalName : member.Email;
        directory.RememberMember(memberId, objectId, email, member?.TenantId ?? activity.TenantId);
        return new ChatUser(objectId ?? memberId, member?.Name ?? activity.FromName ?? memberId, email);
    }

    private async Task<TeamsMember?> MemberAsync(Uri serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken)
    {
        if (_members.TryGetValue(memberId, out var cached) && time.GetUtcNow() - cached.At < CacheFor)
        {
            return cached.Member;
        }

        try
        {
            var member = await connector.GetMemberAsync(serviceUrl, TeamsDirectory.ThreadRoot(conversationId), memberId, cancellationToken);
            _members[memberId] = (member, time.GetUtcNow());
            return member;
        }
        catch (ConnectorCallException error)
        {
            // Without an email the request cannot be matched to Okta; the bot says so, and the log says why.
            LogLookupFailed(logger, memberId, error.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 4430, Level = LogLevel.Warning, Message = "Could not look up Teams member {MemberId}: {Problem}")]
    private static partial void LogLookupFailed(ILogger logger, string memberId, string problem);
}
