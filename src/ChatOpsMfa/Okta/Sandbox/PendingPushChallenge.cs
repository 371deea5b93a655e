namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>An Okta Verify push (verifyFactor) the simulated device has not answered yet and that has not expired.</summary>
public sealed record PendingPushChallenge(string UserId, string FactorId, string TransactionId, DateTimeOffset ExpiresAt);
