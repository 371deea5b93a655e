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

        if (InputValidator.Validate(workflow, inputs) is { } inputProblem)
        {
            return Failed(new WorkflowFailure(WorkflowFailureKind.InvalidInputs, $"workflow '{workflowId}': {inputProblem}"), []);
        }

        var startIndex = 0;
        if (options.StartAtStepId is { } startAt && (startIndex = workflow.IndexOfStep(startAt)) < 0)
        {
            return Failed(new WorkflowFailure(WorkflowFailureKind.InvalidInputs, $"workflow '{workflowId}' has no step '{startAt}' to resume at"), []);
        }

        var context = new ExpressionContext
        {
            Inputs = inputs,
            SourceDescriptionUrls = document.SourceDescriptions.ToDictionary(s => s.Name, s => s.Url, StringComparer.Ordinal),
        };
        foreach (var completed in options.CompletedSteps ?? [])
        {
            context.StepOutputs[completed.StepId] = completed.Outputs;
        }

        var execution = new WorkflowExecution(new StepExecutor(httpClient, document, workflow, options, context), workflow, options, context, _timeProvider);
        return await execution.RunAsync(startIndex, cancellationToken);
    }

    private static WorkflowRunResult Failed(WorkflowFailure failure, IReadOnlyList<StepResult> steps) =>
        new(false, new Dictionary<string, JsonNode?>(), steps, failure);
}
