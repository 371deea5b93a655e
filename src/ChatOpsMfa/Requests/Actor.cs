using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>
/// A person acting on a request, with what the approval policy decided about them when they acted.
/// Guards read only this, so they stay pure.
/// </summary>
/// <param name="OktaUserId">The immutable Okta user id (<c>00u…</c>) the chat user was matched to; null when it could
/// not be established, and then the person decides nothing. Requester, target and approvers are told apart by it,
/// never by chat ids or email strings.</param>
/// <param name="IdentityProblem">Why the Okta user could not be established, in words for the person.</param>
public sealed record Actor(ChatUser User, bool IsAuthorisedApprover, string? OktaUserId = null, string? IdentityProblem = null)
{
    /// <summary>A stand-in for "some approver other than the people involved", used to decide which buttons a card shows.</summary>
    public static Actor AnyOtherApprover { get; } = new(new ChatUser("\u0000any-approver", "any approver"), true, "\u0000any-approver");

    /// <summary>The bot itself, for transitions nobody clicked (expiry, Okta outcomes).</summary>
    public static Actor System { get; } = new(new ChatUser("system", "ChatOpsMfa"), false);
}
