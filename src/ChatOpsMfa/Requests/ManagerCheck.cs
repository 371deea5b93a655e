using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>
/// The target's manager, who must confirm in chat that it really is the target asking: their Okta user (from the
/// target's <c>managerId</c>), their chat account, and why they cannot be asked, when they cannot (which blocks the
/// request: it can be denied or cancelled, never approved).
/// </summary>
public sealed record ManagerCheck(string? OktaUserId, string Name, ChatUser? ChatUser, string? Problem, DateTimeOffset? ConfirmedAt = null)
{
    public static ManagerCheck Unreachable(string name, string problem) => new(null, name, null, problem);
}
