namespace ChatOpsMfa.Audit;

/// <summary>The result of checking a presented key; <see cref="KeyNumber"/> (1-based) says which configured key matched.</summary>
public readonly record struct AuditKeyCheck(AuditKeyOutcome Outcome, int KeyNumber = 0)
{
    public bool Accepted => Outcome == AuditKeyOutcome.Accepted;
}
