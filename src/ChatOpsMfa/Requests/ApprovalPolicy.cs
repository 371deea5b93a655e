using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Decides who is an authorised approver (listed in <c>Approvals:Approvers</c> by chat id, email or Okta user id, or a
/// member of <c>Approvals:OktaGroupId</c> checked in Okta when they click) and who is help desk. The request's guards
/// then decide what they may do to it.
/// </summary>
public sealed class ApprovalPolicy(
    IOptionsMonitor<ApprovalOptions> options, IdentityResolver identities, Func<OktaClient> oktaClients, IHostEnvironment environment)
{
    /// <summary>The step-up an Approve or Retry needs: as configured, else an Okta Verify push outside Development.</summary>
    public ApproverVerification Verification =>
        options.CurrentValue.ApproverVerification ?? (environment.IsDevelopment() ? ApproverVerification.None : ApproverVerification.OktaVerifyPush);

    /// <summary>The approvers listed by chat id (not email or Okta id), to mention in a reminder.</summary>
    public IEnumerable<string> ListedChatIds() =>
        options.CurrentValue.Approvers.Where(entry => !entry.Contains('@') && !entry.StartsWith("00u", StringComparison.Ordinal));

    /// <summary>The approvers listed by email, to look up in chat for a reminder.</summary>
    public IEnumerable<string> ListedEmails() => options.CurrentValue.Approvers.Where(entry => entry.Contains('@'));

    public bool IsListedApprover(ChatUser user) => Matches(options.CurrentValue.Approvers, user);

    public bool IsHelpDesk(ChatUser user) => Matches(options.CurrentValue.HelpDesk, user);

    /// <summary>
    /// The actor as the request's guards see them: their Okta user id, or why it could not be established (then they
    /// decide nothing, whatever list they are on), and whether they may approve.
    /// </summary>
    public async Task<Actor> ActorForAsync(ChatUser user, CancellationToken cancellationToken)
    {
        var identity = await identities.IdentifyAsync(user, cancellationToken);
        if (identity.Target is not { } okta)
        {
            return new Actor(user, false, null, identity.Problem);
        }

        var current = options.CurrentValue;
        var authorised = IsListedApprover(user) || current.Approvers.Contains(okta.OktaUserId, StringComparer.Ordinal);
        if (!authorised && !string.IsNullOrWhiteSpace(current.OktaGroupId))
        {
            // Fails closed: an Okta error means "not shown to be a member".
            var member = await oktaClients().IsMemberOfGroupAsync(okta.OktaUserId, current.OktaGroupId, cancellationToken);
            authorised = member.IsSuccess && member.Value;
        }

        return new Actor(user, authorised, okta.OktaUserId);
    }

    private static bool Matches(IEnumerable<string> entries, ChatUser user) => entries.Any(entry =>
        string.Equals(entry, user.Id, StringComparison.Ordinal) ||
        (user.Email is not null && string.Equals(entry, user.Email.Trim(), StringComparison.OrdinalIgnoreCase)));
}
