namespace ChatOpsMfa.Requests;

/// <summary>What came of asking a request to change: done, or refused with a reason a person can read.</summary>
public sealed record TransitionOutcome(bool Succeeded, string? Refusal = null)
{
    public static TransitionOutcome Done { get; } = new(true);

    public static TransitionOutcome Refused(string reason) => new(false, reason);
}
