using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>
/// A person acting on a request, with what the approval policy decided about them when they acted.
/// Guards read only this, so they stay pure.
/// </summary>
/// <param name="OktaLogin">The Okta login the chat user was matched to, when known, to spot a target approving
/// their own reset from another chat account.</param>
public sealed record Actor(ChatUser User, bool IsAuthorisedApprover, string? OktaLogin = null)
{
    /// <summary>A stand-in for "some approver other than the people involved", used to decide which buttons a card shows.</summary>
    public static Actor AnyOtherApprover { get; } = new(new ChatUser("\u0000any-approver", "any approver"), true);

    /// <summary>The bot itself, for transitions nobody clicked (expiry, Okta outcomes).</summary>
    public static Actor System { get; } = new(new ChatUser("system", "ChatOpsMfa"), false);
}
