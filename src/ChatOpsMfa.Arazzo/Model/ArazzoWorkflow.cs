using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// A workflow. <see cref="Inputs"/> is its JSON Schema (with a <c>$ref</c> to components already
/// resolved). Workflow-level parameters and actions apply to every step.
/// </summary>
public sealed record ArazzoWorkflow(
    string WorkflowId,
    JsonNode? Inputs,
    IReadOnlyList<ArazzoStep> Steps,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<ArazzoParameter> Parameters,
    IReadOnlyList<ArazzoAction> SuccessActions,
    IReadOnlyList<ArazzoAction> FailureActions,
    string Pointer)
{
    /// <summary>Workflows to complete first: local workflowIds or <c>$sourceDescriptions.name.workflowId</c>.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public ArazzoStep? FindStep(string stepId) => Steps.FirstOrDefault(s => s.StepId == stepId);

    public int IndexOfStep(string stepId)
    {
        for (var i = 0; i < Steps.Count; i++)
        {
            if (Steps[i].StepId == stepId)
            {
                return i;
            }
        }

        return -1;
    }
}
