namespace ChatOpsMfa.Requests;

/// <summary>The Okta user whose factors are reset.</summary>
public sealed record TargetUser(string OktaUserId, string Login, string DisplayName);
