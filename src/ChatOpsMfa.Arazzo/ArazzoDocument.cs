namespace ChatOpsMfa.Arazzo;

/// <summary>A loaded, validated Arazzo document with its OpenAPI operations already resolved.</summary>
public sealed class ArazzoDocument
{
    private readonly IReadOnlyDictionary<(string WorkflowId, string StepId), ResolvedOperation> _operations;

    internal ArazzoDocument(
        string arazzoVersion,
        string? sourcePath,
        IReadOnlyList<ArazzoSourceDescription> sourceDescriptions,
        IReadOnlyList<ArazzoWorkflow> workflows,
        IReadOnlyDictionary<(string WorkflowId, string StepId), ResolvedOperation> operations,
        IReadOnlyDictionary<string, ArazzoDocument>? arazzoSources = null)
    {
        ArazzoSources = arazzoSources ?? new Dictionary<string, ArazzoDocument>();
        ArazzoVersion = arazzoVersion;
        SourcePath = sourcePath;
        SourceDescriptions = sourceDescriptions;
        Workflows = workflows;
        _operations = operations;
    }

    public string ArazzoVersion { get; }

    public string? SourcePath { get; }

    public IReadOnlyList<ArazzoSourceDescription> SourceDescriptions { get; }

    public IReadOnlyList<ArazzoWorkflow> Workflows { get; }

    /// <summary>The documents of the <c>type: arazzo</c> source descriptions, by source name.</summary>
    public IReadOnlyDictionary<string, ArazzoDocument> ArazzoSources { get; }

    public ArazzoWorkflow? FindWorkflow(string workflowId) => Workflows.FirstOrDefault(w => w.WorkflowId == workflowId);

    /// <summary>A workflowId as a step, action or dependsOn writes it; the document is this one or a source's.</summary>
    internal (ArazzoDocument Document, ArazzoWorkflow Workflow)? ResolveWorkflow(string reference) =>
        WorkflowReference.Resolve(reference, Workflows, ArazzoSources, out _) is { } found ? (found.Source ?? this, found.Workflow) : null;

    /// <summary>The OpenAPI operation a step calls, or null for a step that runs a workflow.</summary>
    public ResolvedOperation? FindOperation(string workflowId, string stepId) =>
        _operations.TryGetValue((workflowId, stepId), out var operation) ? operation : null;
}
