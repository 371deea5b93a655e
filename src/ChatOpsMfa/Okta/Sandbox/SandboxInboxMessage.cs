namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// A message the sandbox "delivered" instead of Okta's SMS, voice call or email: an activation code or an Okta Verify
/// activation link. <paramref name="Destination"/> is masked, as chat would show it.
/// </summary>
/// <param name="Channel"><c>sms</c>, <c>call</c> or <c>email</c>.</param>
public sealed record SandboxInboxMessage(DateTimeOffset At, string UserId, string Channel, string Destination, string Text);
