using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// One call of <see cref="ArazzoWorkflowRunner.RunAsync"/>: the workflows it runs (the one asked for, its dependsOn,
/// the workflows its steps and actions run, in this document or in arazzo source descriptions), with one budget of
/// step executions and a bound on nesting so no document can keep the runner busy forever.
/// </summary>
internal sealed class RunSession(HttpClient httpClient, WorkflowRunOptions options, TimeProvider timeProvider)
{
    public const int MaxNesting = 16;
    public const int MaxStepExecutions = 10_000;

    private readonly ConditionalWeakTable<ArazzoDocument, Dictionary<string, IReadOnlyDictionary<string, JsonNode?>>> _outputs = [];
    private readonly ConditionalWeakTable<ArazzoDocument, Dictionary<string, IReadOnlyDictionary<string, JsonNode?>>> _inputs = [];
    private int _executions;

    public HttpClient HttpClient => httpClient;

    public WorkflowRunOptions Options => options;

    public TimeProvider TimeProvider => timeProvider;

    /// <summary>False once the run has executed <see cref="MaxStepExecutions"/> steps.</summary>
    public bool TakeExecution() => ++_executions <= MaxStepExecutions;

    public async Task<WorkflowRunResult> RunAsync(
        ArazzoDocument document,
        ArazzoWorkflow workflow,
        IReadOnlyDictionary<string, JsonNode?> inputs,
        int depth,
        int startIndex,
        IReadOnlyList<StepResult>? completedSteps,
        CancellationToken cancellationToken)
    {
        if (depth > MaxNesting)
        {
            return Failed(new WorkflowFailure(WorkflowFailureKind.InvalidDocument, $"workflow '{workflow.WorkflowId}' is nested more than {MaxNesting} workflows deep (a workflow that runs itself?)"));
        }

        if (InputValidator.Validate(workflow, inputs) is { } inputProblem)
        {
            return Failed(new WorkflowFailure(WorkflowFailureKind.InvalidInputs, $"workflow '{workflow.WorkflowId}': {inputProblem}"));
        }

        var workflowOutputs = _outputs.GetOrCreateValue(document);
        foreach (var dependency in workflow.DependsOn)
        {
            if (document.ResolveWorkflow(dependency) is not { } target)
            {
                return Failed(new WorkflowFailure(WorkflowFailureKind.InvalidDocument, $"workflow '{workflow.WorkflowId}' depends on '{dependency}', which does not exist"));
            }

            if (_outputs.GetOrCreateValue(target.Document).ContainsKey(target.Workflow.WorkflowId))
            {
                continue; // already completed in this run
            }

            var before = await RunAsync(target.Document, target.Workflow, inputs, depth + 1, 0, null, cancellationToken);
            if (!before.Succeeded)
            {
                return before with
                {
                    Failure = before.Failure! with { Message = $"workflow '{workflow.WorkflowId}' depends on '{dependency}', which failed: {before.Failure.Message}" },
                };
            }
        }

        var context = new ExpressionContext
        {
            Inputs = inputs,
            SourceDescriptionUrls = document.SourceDescriptions.ToDictionary(s => s.Name, s => s.Url, StringComparer.Ordinal),
            WorkflowOutputs = workflowOutputs,
            WorkflowInputs = _inputs.GetOrCreateValue(document),
        };
        context.WorkflowInputs[workflow.WorkflowId] = inputs;
        foreach (var completed in completedSteps ?? [])
        {
            context.StepOutputs[completed.StepId] = completed.Outputs;
        }

        var executor = new StepExecutor(this, document, workflow, context, depth);
        var result = await new WorkflowExecution(this, executor, document, workflow, context, inputs, depth).RunAsync(startIndex, cancellationToken);
        if (result.Succeeded)
        {
            workflowOutputs[workflow.WorkflowId] = result.Outputs;
        }

        return result;
    }

    private static WorkflowRunResult Failed(WorkflowFailure failure) => new(false, new Dictionary<string, JsonNode?>(), [], failure);
}
