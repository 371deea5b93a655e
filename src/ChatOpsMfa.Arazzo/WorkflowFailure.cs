using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Why a run stopped. <see cref="Message"/> names the step, the status and a short reason, never a
/// header value, request body or input value.
/// </summary>
public sealed record WorkflowFailure(
    WorkflowFailureKind Kind,
    string Message,
    string? StepId = null,
    int? StatusCode = null,
    JsonNode? ResponseBody = null);
