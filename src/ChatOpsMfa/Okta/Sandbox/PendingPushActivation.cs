namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>An Okta Verify enrolment waiting for a device to scan its QR code (the simulated device's view).</summary>
public sealed record PendingPushActivation(string UserId, string FactorId, DateTimeOffset ExpiresAt);
