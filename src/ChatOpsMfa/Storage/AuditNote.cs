namespace ChatOpsMfa.Storage;

/// <summary>An audit line that is not a state transition: who, what, and a detail with no secrets in it.</summary>
public sealed record AuditNote(string ActorId, string ActorName, string Action, string? Detail = null);
