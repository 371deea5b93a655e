using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Runs one workflow of a loaded document against an <see cref="HttpClient"/>. Expected outcomes (bad
/// inputs, a refused step, a transport error) are returned as <see cref="WorkflowFailure"/>; only the
/// caller's cancellation is thrown.
/// </summary>
public sealed class ArazzoWorkflowRunner(HttpClient httpClient, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;

    public async Task<WorkflowRunResult> RunAsync(
        ArazzoDocument document,
        string workflowId,
        IReadOnlyDictionary<string, JsonNode?> inputs,
        WorkflowRunOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new WorkflowRunOptions();
        if (document.FindWorkflow(workflowId) is not { } workflow)
        {
            return Failed(new WorkflowFailure(WorkflowFailureKind.UnknownWorkflow, $"workflow '{workflowId}' is not in the document"), []);
        }

        var startIndex = 0;
        if (options.StartAtStepId is { } startAt && (startIndex = workflow.IndexOfStep(startAt)) < 0)
        {
            return Failed(new WorkflowFailure(WorkflowFailureKind.InvalidInputs, $"workflow '{workflowId}' has no step '{startAt}' to resume at"), []);
        }

        var session = new RunSession(httpClient, options, _timeProvider);
        return await session.RunAsync(document, workflow, inputs, 0, startIndex, options.CompletedSteps, cancellationToken);
    }

    private static WorkflowRunResult Failed(WorkflowFailure failure, IReadOnlyList<StepResult> steps) =>
        new(false, new Dictionary<string, JsonNode?>(), steps, failure);
}
