namespace ChatOpsMfa.Arazzo;

/// <summary>Whether a criterion holds, or why it could not be evaluated.</summary>
internal readonly record struct CriterionOutcome(bool Holds, string? Error)
{
    public static CriterionOutcome Of(bool holds) => new(holds, null);

    public static CriterionOutcome Failed(string error) => new(false, error);
}
