namespace ChatOpsMfa.Arazzo;

/// <summary>A success or failure action: end, goto or (failure only) retry.</summary>
public sealed record ArazzoAction(
    string Name,
    string Type,
    string? StepId,
    string? WorkflowId,
    double? RetryAfterSeconds,
    int? RetryLimit,
    IReadOnlyList<ArazzoCriterion> Criteria,
    string Pointer);
