using ChatOpsMfa.Channels;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>Decides who is an authorised approver. The request's guards then decide what they may do to it.</summary>
public sealed class ApprovalPolicy(IOptionsMonitor<ApprovalOptions> options)
{
    public bool IsApprover(ChatUser user)
    {
        var approvers = options.CurrentValue.Approvers;
        return approvers.Any(a =>
            string.Equals(a, user.Id, StringComparison.Ordinal) ||
            (user.Email is not null && string.Equals(a, user.Email, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The actor as the request's guards see them. <paramref name="oktaLogin"/> is how their chat identity maps to Okta.</summary>
    public Actor ActorFor(ChatUser user, string? oktaLogin) => new(user, IsApprover(user), oktaLogin ?? user.Email);
}
