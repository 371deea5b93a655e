namespace ChatOpsMfa.Arazzo;

/// <summary>An operation found in an OpenAPI source description: what a step's request is built from.</summary>
public sealed record ResolvedOperation(
    string SourceName,
    string? OperationId,
    string Method,
    string PathTemplate,
    string? ServerUrl,
    IReadOnlyList<string> PathVariables);
