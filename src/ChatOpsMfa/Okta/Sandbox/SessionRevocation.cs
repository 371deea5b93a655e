namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>One revokeUserSessions call the sandbox answered 204: when, and whether OAuth tokens were revoked too.</summary>
public sealed record SessionRevocation(DateTimeOffset At, bool OAuthTokens);
