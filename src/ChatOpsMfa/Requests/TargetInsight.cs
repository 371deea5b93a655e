namespace ChatOpsMfa.Requests;

/// <summary>
/// What an approver needs to spot an impostor, taken from Okta when the request was made: who the target is, what
/// protects their account now, and how often it was reset. Nothing secret (no phone numbers, no factor details).
/// </summary>
public sealed record TargetInsight(
    string? Email,
    string? Title,
    string? Department,
    string? Manager,
    string? Status,
    DateTimeOffset? LastLogin,
    IReadOnlyList<string> FactorTypes,
    IReadOnlyList<string> AdminRoles,
    bool InProtectedGroup,
    int ResetsLast30Days,
    DateTimeOffset? LastResetAt,
    string MatchedBy,
    SignInRisk? Risk = null)
{
    public bool IsPrivileged => AdminRoles.Count > 0 || InProtectedGroup;
}
