using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// The step loop of one run: executes steps in order, then applies the first onSuccess/onFailure action
/// whose criteria all hold (step actions first, then the workflow's). No onFailure action stops the run.
/// </summary>
internal sealed class WorkflowExecution(
    StepExecutor executor, ArazzoWorkflow workflow, WorkflowRunOptions options, ExpressionContext context, TimeProvider timeProvider)
{
    // Bounds goto loops: a document cannot keep the runner busy forever.
    private const int MaxExecutionsPerStep = 50;

    private readonly List<StepResult> _results = [];
    private readonly Dictionary<string, int> _retries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);

    public async Task<WorkflowRunResult> RunAsync(int startIndex, CancellationToken cancellationToken)
    {
        var index = startIndex;
        var executions = 0;
        while (index < workflow.Steps.Count)
        {
            if (++executions > MaxExecutionsPerStep * workflow.Steps.Count)
            {
                return Fail(new WorkflowFailure(WorkflowFailureKind.InvalidDocument, $"workflow '{workflow.WorkflowId}' executed too many steps (goto loop?)"));
            }

            var step = workflow.Steps[index];
            var outcome = await ExecuteAsync(step, cancellationToken);
            if (outcome.Failure is { } failure)
            {
                return Fail(failure);
            }

            var result = outcome.Result!;
            var actions = result.Succeeded ? step.OnSuccess.Concat(workflow.SuccessActions) : step.OnFailure.Concat(workflow.FailureActions);
            var (action, actionError) = SelectAction(actions);
            if (actionError is not null)
            {
                return Fail(new WorkflowFailure(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': {actionError}", step.StepId));
            }

            switch (action?.Type)
            {
                case null when result.Succeeded:
                    index++;
                    break;
                case "end" when result.Succeeded:
                    return Succeed();
                case null or "end":
                    return Fail(StepFailure(step, result, "success criteria not met"));
                case "goto":
                    index = workflow.IndexOfStep(action.StepId!);
                    break;
                case "retry":
                    var retried = _retries.GetValueOrDefault(step.StepId);
                    if (retried >= (action.RetryLimit ?? 1))
                    {
                        return Fail(StepFailure(step, result, $"still failing after {retried} retr{(retried == 1 ? "y" : "ies")}"));
                    }

                    _retries[step.StepId] = retried + 1;
                    await Task.Delay(RetryDelay.Compute(action, result.ResponseHeaders, timeProvider), timeProvider, cancellationToken);
                    if (action.StepId is { } first && workflow.FindStep(first) is { } firstStep)
                    {
                        // Spec: a retry that names a step runs it first, then retries the current step.
                        var before = await ExecuteAsync(firstStep, cancellationToken);
                        if (before.Failure is not null || before.Result is { Succeeded: false })
                        {
                            return Fail(before.Failure ?? StepFailure(firstStep, before.Result!, "failed before a retry"));
                        }
                    }

                    break;
                default:
                    return Fail(new WorkflowFailure(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': unsupported action type '{action.Type}'", step.StepId));
            }
        }

        return Succeed();
    }

    private async Task<StepOutcome> ExecuteAsync(ArazzoStep step, CancellationToken cancellationToken)
    {
        var attempt = _attempts.GetValueOrDefault(step.StepId) + 1;
        _attempts[step.StepId] = attempt;
        var outcome = await executor.ExecuteAsync(step, attempt, cancellationToken);
        if (outcome.Result is { } result)
        {
            _results.Add(result);
            if (result.Succeeded)
            {
                context.StepOutputs[step.StepId] = result.Outputs;
            }

            if (options.OnStepCompleted is { } completed)
            {
                await completed(result, cancellationToken);
            }
        }

        return outcome;
    }

    private (ArazzoAction? Action, string? Error) SelectAction(IEnumerable<ArazzoAction> actions)
    {
        foreach (var action in actions)
        {
            var applies = true;
            foreach (var criterion in action.Criteria)
            {
                var outcome = CriterionEvaluator.Evaluate(criterion, context);
                if (outcome.Error is { } error)
                {
                    return (null, $"action '{action.Name}': {error}");
                }

                applies &= outcome.Holds;
            }

            if (applies)
            {
                return (action, null);
            }
        }

        return (null, null);
    }

    private static WorkflowFailure StepFailure(ArazzoStep step, StepResult result, string reason) =>
        new(WorkflowFailureKind.StepFailed, $"step '{step.StepId}' failed: HTTP {result.StatusCode}, {reason}", step.StepId, result.StatusCode, result.ResponseBody);

    private WorkflowRunResult Succeed()
    {
        context.Exchange = null;
        var outputs = StepExecutor.EvaluateOutputs(workflow.Outputs, context);
        return new WorkflowRunResult(true, outputs, _results, null);
    }

    private WorkflowRunResult Fail(WorkflowFailure failure) => new(false, new Dictionary<string, JsonNode?>(), _results, failure);
}
