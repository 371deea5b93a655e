using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>The Okta user a chat user was matched to, and how; or why no match was made.</summary>
public sealed record IdentityMatch(TargetUser? Target, OktaUserProfile? Profile, string? How, string? Problem)
{
    public static IdentityMatch Found(TargetUser target, OktaUserProfile profile, string how) => new(target, profile, how, null);

    public static IdentityMatch NotFound(string problem) => new(null, null, null, problem);
}
