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

    /// <summary>
    /// The people a message mentions, with their email, for a help-desk request on someone's behalf. The bot itself
    /// (the activity's recipient) and other bots (<c>28:</c> ids) are left out, and so is anyone whose email the
    /// Connector does not give: the core cannot reach or match them. A member is looked up in the conversation the
    /// message came from and, failing that (a 1:1 chat holds only its user), in the support channel's team.
    /// </summary>
    public async Task<IReadOnlyList<ChatUser>> ResolveMentionsAsync(
        TeamsInboundActivity activity, Uri serviceUrl, CancellationToken cancellationToken)
    {
        var people = new List<ChatUser>();
        foreach (var mention in activity.Mentions ?? [])
        {
            if (mention.Id == activity.RecipientId || mention.Id.StartsWith("28:", StringComparison.Ordinal))
            {
                continue;
            }

            var member = await MemberAsync(serviceUrl, activity.ConversationId!, mention.Id, cancellationToken)
                ?? await MemberAsync(serviceUrl, options.Value.SupportChannelId, mention.Id, cancellationToken);
            var email = member is null ? null
                : options.Value.UserEmailAttribute == "userPrincipalName" ? member.UserPrincipalName : member.Email;
            if (member is null || email is null)
            {
                continue;
            }

            directory.RememberMember(mention.Id, member.AadObjectId, email, member.TenantId ?? activity.TenantId);
            people.Add(new ChatUser(member.AadObjectId ?? mention.Id, member.Name ?? mention.Name ?? mention.Id, email));
        }

        return people;
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
            // The id comes from the (authenticated) activity; still keep control characters out of the log line.
            LogLookupFailed(logger, LogSafe(memberId), LogSafe(error.Message));
            return null;
        }
    }

    private static string LogSafe(string text) =>
        string.Concat(text.Take(200).Select(c => char.IsControl(c) ? '?' : c));

    [LoggerMessage(EventId = 4430, Level = LogLevel.Warning, Message = "Could not look up Teams member {MemberId}: {Problem}")]
    private static partial void LogLookupFailed(ILogger logger, string memberId, string problem);
}
