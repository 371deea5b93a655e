namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>An actor or target of a System Log event (LogActor / LogTarget): id, type, alternate id and display name.</summary>
internal sealed record SandboxLogParty(string Id, string Type, string AlternateId, string DisplayName);
