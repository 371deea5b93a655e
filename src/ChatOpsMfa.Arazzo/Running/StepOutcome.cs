namespace ChatOpsMfa.Arazzo;

/// <summary>One executed attempt: the public result, the exchange the actions are judged on, or a failure that stops the run.</summary>
internal sealed record StepOutcome(StepResult? Result, RecordedExchange? Exchange, WorkflowFailure? Failure)
{
    /// <summary>For a workflow step that failed: why its workflow failed (named in the step's failure).</summary>
    public WorkflowFailure? NestedFailure { get; init; }
}
