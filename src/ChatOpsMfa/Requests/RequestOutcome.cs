namespace ChatOpsMfa.Requests;

/// <summary>What came of a person's action: the request as it now stands, or why nothing changed.</summary>
public sealed record RequestOutcome(ResetRequest? Request, string? Refusal)
{
    public bool Succeeded => Refusal is null;

    /// <summary>Something to tell the person who acted, beyond the updated card ("your factor is active").</summary>
    public string? Notice { get; init; }

    public static RequestOutcome Done(ResetRequest request) => new(request, null);

    public static RequestOutcome Refused(string refusal, ResetRequest? request = null) => new(request, refusal);
}
