namespace ChatOpsMfa.Requests;

/// <summary>How often one person's MFA may be reset: section <c>Limits</c>.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Completed resets per target in 24 hours before a further one needs two approvers.</summary>
    public int ResetsPerUserPerDay { get; set; } = 1;
}
