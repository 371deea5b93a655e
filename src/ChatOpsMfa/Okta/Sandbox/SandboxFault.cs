namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>A failure the sandbox injects into the next matching request (test hook).</summary>
internal sealed record SandboxFault(
    string? OperationId,
    int StatusCode,
    string? ErrorCode,
    string? ErrorSummary,
    TimeSpan Delay,
    TimeSpan RateLimitResetAfter,
    bool Drop)
{
    public bool AppliesTo(string? operationId) => OperationId is null || string.Equals(OperationId, operationId, StringComparison.Ordinal);
}
