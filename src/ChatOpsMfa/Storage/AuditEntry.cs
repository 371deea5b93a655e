namespace ChatOpsMfa.Storage;

/// <summary>One line of the append-only audit trail: who did what to which request, and when.</summary>
public sealed record AuditEntry(
    long Id,
    string RequestId,
    long RequestNumber,
    DateTimeOffset At,
    string ActorId,
    string ActorName,
    string Action,
    string? FromState,
    string? ToState,
    string? Detail);
