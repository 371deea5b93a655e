using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Decides who is an authorised approver (listed in <c>Approvals:Approvers</c>, or a member of
/// <c>Approvals:OktaGroupId</c> checked in Okta when they click) and who is help desk. The request's guards then
/// decide what they may do to it.
/// </summary>
public sealed class ApprovalPolicy(IOptionsMonitor<ApprovalOptions> options, Func<OktaClient> oktaClients)
{
    public bool IsListedApprover(ChatUser user) => Matches(options.CurrentValue.Approvers, user);

    public bool IsHelpDesk(ChatUser user) => Matches(options.CurrentValue.HelpDesk, user);

    /// <summary>The actor as the request's guards see them, with their Okta login when Okta knows them.</summary>
    public async Task<Actor> ActorForAsync(ChatUser user, CancellationToken cancellationToken)
    {
        var listed = IsListedApprover(user);
        var group = options.CurrentValue.OktaGroupId;
        if (listed || string.IsNullOrWhiteSpace(group) || string.IsNullOrWhiteSpace(user.Email))
        {
            return new Actor(user, listed, user.Email);
        }

        var okta = oktaClients();
        var profile = await okta.GetUserAsync(user.Email, cancellationToken);
        if (!profile.IsSuccess)
        {
            return new Actor(user, false, user.Email);
        }

        // Fails closed: an Okta error means "not shown to be a member".
        var member = await okta.IsMemberOfGroupAsync(profile.Value.Id, group, cancellationToken);
        return new Actor(user, member.IsSuccess && member.Value, profile.Value.Login ?? user.Email);
    }

    private static bool Matches(IEnumerable<string> entries, ChatUser user) => entries.Any(entry =>
        string.Equals(entry, user.Id, StringComparison.Ordinal) ||
        (user.Email is not null && string.Equals(entry, user.Email, StringComparison.OrdinalIgnoreCase)));
}
