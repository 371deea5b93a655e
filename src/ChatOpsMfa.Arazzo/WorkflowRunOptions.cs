namespace ChatOpsMfa.Arazzo;

public sealed class WorkflowRunOptions
{
    /// <summary>
    /// Replaces the OpenAPI <c>servers[0]</c>. The request URL is this value (trailing '/' trimmed)
    /// followed by the operation path, so a base with a path prefix works.
    /// </summary>
    public Uri? ServerUrl { get; init; }

    /// <summary>A base URL per source description name; wins over <see cref="ServerUrl"/> for that source's operations.</summary>
    public IReadOnlyDictionary<string, Uri> ServerUrls { get; init; } = new Dictionary<string, Uri>();

    /// <summary>
    /// Headers (credentials) per source description name, sent only with that source's operations, never with another
    /// source's. A header the step sets itself wins.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> SourceHeaders { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Resume: the steps before this one are skipped.</summary>
    public string? StartAtStepId { get; init; }

    /// <summary>Steps done in an earlier run, so <c>$steps.x.outputs.y</c> resolves when resuming.</summary>
    public IReadOnlyList<StepResult>? CompletedSteps { get; init; }

    /// <summary>Called before each HTTP request is sent (lets the caller persist "in flight").</summary>
    public Func<StepAttempt, CancellationToken, Task>? OnStepStarting { get; init; }

    /// <summary>Called after each step's outcome is known.</summary>
    public Func<StepResult, CancellationToken, Task>? OnStepCompleted { get; init; }
}
