namespace ChatOpsMfa.Requests;

/// <summary>The Okta user a chat user was matched to, and how; or why no match was made.</summary>
public sealed record IdentityMatch(TargetUser? Target, string? How, string? Problem)
{
    public static IdentityMatch Found(TargetUser target, string how) => new(target, how, null);

    public static IdentityMatch NotFound(string problem) => new(null, null, problem);
}
