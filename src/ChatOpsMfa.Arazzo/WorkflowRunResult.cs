using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

public sealed record WorkflowRunResult(
    bool Succeeded,
    IReadOnlyDictionary<string, JsonNode?> Outputs,
    IReadOnlyList<StepResult> Steps,
    WorkflowFailure? Failure);
