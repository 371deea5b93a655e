namespace ChatOpsMfa.Audit;

/// <summary>Why an audit export request was let in or refused; logged, never shown to the caller.</summary>
public enum AuditKeyOutcome
{
    Accepted,
    ExportDisabled,
    NoBearerKey,
    UnknownKey,
}
