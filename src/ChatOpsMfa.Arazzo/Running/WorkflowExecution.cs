using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// The step loop of one workflow: executes steps in order, then applies the first onSuccess/onFailure action
/// whose criteria all hold (step actions first, then the workflow's). No onFailure action stops the run. A goto to a
/// workflow hands the run over to that workflow; a retry that names a workflow runs it before the step again.
/// </summary>
internal sealed class WorkflowExecution(
    RunSession session, StepExecutor executor, ArazzoDocument document, ArazzoWorkflow workflow, ExpressionContext context,
    IReadOnlyDictionary<string, JsonNode?> inputs, int depth)
{
    private WorkflowRunOptions Options => session.Options;

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
            if (++executions > MaxExecutionsPerStep * Math.Max(1, workflow.Steps.Count))
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
                    return Fail(StepFailure(step, result, outcome.NestedFailure));
                case "goto" when action.WorkflowId is { } gotoWorkflow:
                    return await HandOverAsync(step, gotoWorkflow, cancellationToken);
                case "goto":
                    index = workflow.IndexOfStep(action.StepId!);
                    break;
                case "retry":
                    var retried = _retries.GetValueOrDefault(step.StepId);
                    if (retried >= (action.RetryLimit ?? 1))
                    {
                        var exhausted = StepFailure(step, result, outcome.NestedFailure);
                        return Fail(exhausted with { Message = exhausted.Message + $" (still failing after {retried} retr{(retried == 1 ? "y" : "ies")})" });
                    }

                    _retries[step.StepId] = retried + 1;
                    await Task.Delay(RetryDelay.Compute(action, result.ResponseHeaders, session.TimeProvider), session.TimeProvider, cancellationToken);
                    if (action.StepId is { } first && workflow.FindStep(first) is { } firstStep)
                    {
                        // Spec: a retry that names a step runs it first, then retries the current step.
                        var before = await ExecuteAsync(firstStep, cancellationToken);
                        if (before.Failure is not null || before.Result is { Succeeded: false })
                        {
                            return Fail(before.Failure ?? StepFailure(firstStep, before.Result!, before.NestedFailure));
                        }
                    }
                    else if (action.WorkflowId is { } firstWorkflow)
                    {
                        // The same for a workflow (a token refresh, say): it runs, then the step is retried.
                        if (document.ResolveWorkflow(firstWorkflow) is not { } target)
                        {
                            return Fail(new WorkflowFailure(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': workflow '{firstWorkflow}' does not exist", step.StepId));
                        }

                        var before = await session.RunAsync(target.Document, target.Workflow, inputs, depth + 1, 0, null, cancellationToken);
                        if (!before.Succeeded)
                        {
                            return Fail(before.Failure! with { Message = $"step '{step.StepId}': workflow '{firstWorkflow}', run before a retry, failed: {before.Failure.Message}" });
                        }
                    }

                    break;
                default:
                    return Fail(new WorkflowFailure(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': unsupported action type '{action.Type}'", step.StepId));
            }
        }

        return Succeed();
    }

    /// <summary>goto a workflow: it runs with this workflow's inputs, and its outcome is this workflow's outcome.</summary>
    private async Task<WorkflowRunResult> HandOverAsync(ArazzoStep step, string workflowId, CancellationToken cancellationToken)
    {
        if (document.ResolveWorkflow(workflowId) is not { } target)
        {
            return Fail(new WorkflowFailure(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': workflow '{workflowId}' does not exist", step.StepId));
        }

        var handedOver = await session.RunAsync(target.Document, target.Workflow, inputs, depth + 1, 0, null, cancellationToken);
        _results.AddRange(handedOver.Steps);
        if (!handedOver.Succeeded)
        {
            return Fail(handedOver.Failure! with { Message = $"step '{step.StepId}' went on to workflow '{workflowId}', which failed: {handedOver.Failure.Message}" });
        }

        var succeeded = Succeed();
        var outputs = new Dictionary<string, JsonNode?>(succeeded.Outputs);
        foreach (var (name, value) in handedOver.Outputs)
        {
            outputs.TryAdd(name, value);
        }

        return succeeded with { Outputs = outputs };
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

            if (Options.OnStepCompleted is { } completed)
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

    /// <summary>
    /// Names the step, the HTTP status and the first success criterion that did not hold, in words for any API; for
    /// a workflow step, why its workflow failed.
    /// </summary>
    private WorkflowFailure StepFailure(ArazzoStep step, StepResult result, WorkflowFailure? nested)
    {
        if (step.WorkflowId is { } workflowId)
        {
            var why = nested is null ? "its success criteria did not hold" : nested.Message;
            return new(WorkflowFailureKind.StepFailed, $"step '{step.StepId}' failed: workflow '{workflowId}' did not succeed ({why})", step.StepId, nested?.StatusCode, nested?.ResponseBody);
        }

        var failed = step.SuccessCriteria.FirstOrDefault(c => !CriterionEvaluator.Evaluate(c, context).Holds);
        var reason = failed is not null
            ? $"the success criterion '{failed.Condition}' did not hold"
            : "the response status is not a success (2xx) and the step has no success criteria";
        return new(WorkflowFailureKind.StepFailed, $"step '{step.StepId}' failed: the API answered HTTP {result.StatusCode}; {reason}", step.StepId, result.StatusCode, result.ResponseBody);
    }

    private WorkflowRunResult Succeed()
    {
        context.Exchange = null;
        var outputs = StepExecutor.EvaluateOutputs(workflow.Outputs, context);
        return new WorkflowRunResult(true, outputs, _results, null);
    }

    private WorkflowRunResult Fail(WorkflowFailure failure) => new(false, new Dictionary<string, JsonNode?>(), _results, failure);
}
