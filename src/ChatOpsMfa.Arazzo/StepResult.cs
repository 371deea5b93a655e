using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>The outcome of one attempt of a step: what came back and the step outputs it produced.</summary>
public sealed record StepResult(
    string StepId,
    bool Succeeded,
    int StatusCode,
    IReadOnlyDictionary<string, JsonNode?> Outputs,
    JsonNode? ResponseBody,
    IReadOnlyDictionary<string, string> ResponseHeaders);
