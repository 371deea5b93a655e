using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Runs one step: sends an operation step's request and judges the response against its success criteria, or runs
/// a workflow step's workflow with the step's parameters as its inputs (<c>$outputs</c> in the step's outputs are
/// that workflow's outputs).
/// </summary>
internal sealed class StepExecutor(RunSession session, ArazzoDocument document, ArazzoWorkflow workflow, ExpressionContext context, int depth)
{
    private WorkflowRunOptions Options => session.Options;

    public async Task<StepOutcome> ExecuteAsync(ArazzoStep step, int attempt, CancellationToken cancellationToken)
    {
        if (!session.TakeExecution())
        {
            return Fail(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': the run executed more than {RunSession.MaxStepExecutions} steps (goto loop?)", step);
        }

        if (step.WorkflowId is { } workflowId)
        {
            return await ExecuteWorkflowStepAsync(step, workflowId, cancellationToken);
        }

        if (document.FindOperation(workflow.WorkflowId, step.StepId) is not { } operation)
        {
            return Fail(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': no OpenAPI operation was resolved for it", step);
        }

        var built = StepRequestBuilder.Build(workflow, step, operation, ServerFor(operation), Options.SourceHeaders.GetValueOrDefault(operation.SourceName), context, out var buildError);
        if (built is null)
        {
            return Fail(WorkflowFailureKind.StepFailed, buildError!, step);
        }

        using var request = built.Message;
        var exchange = built.Exchange;
        if (Options.OnStepStarting is { } starting)
        {
            await starting(new StepAttempt(step.StepId, operation.OperationId ?? step.OperationPath ?? string.Empty, operation.Method, attempt), cancellationToken);
        }

        try
        {
            using var response = await session.HttpClient.SendAsync(request, cancellationToken);
            exchange.StatusCode = (int)response.StatusCode;
            exchange.ResponseHeaders = ReadHeaders(response);
            exchange.ResponseBody = await ReadBodyAsync(response.Content, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (HttpRequestException exception)
        {
            return Fail(WorkflowFailureKind.Transport, $"step '{step.StepId}': {operation.Method} request failed ({exception.HttpRequestError})", step);
        }
        catch (OperationCanceledException)
        {
            return Fail(WorkflowFailureKind.Transport, $"step '{step.StepId}': {operation.Method} request timed out", step);
        }

        context.Exchange = exchange;
        var (succeeded, outputs, invalid) = Judge(step, exchange.StatusCode is >= 200 and < 300 || step.SuccessCriteria.Count > 0);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = new StepResult(step.StepId, succeeded, exchange.StatusCode, outputs, exchange.ResponseBody, exchange.ResponseHeaders);
        return new StepOutcome(result, exchange, null);
    }

    private Uri? ServerFor(ResolvedOperation operation) =>
        Options.ServerUrls.TryGetValue(operation.SourceName, out var server) ? server : Options.ServerUrl;

    private async Task<StepOutcome> ExecuteWorkflowStepAsync(ArazzoStep step, string workflowId, CancellationToken cancellationToken)
    {
        if (document.ResolveWorkflow(workflowId) is not { } target)
        {
            return Fail(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': workflow '{workflowId}' does not exist", step);
        }

        var inputs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        context.Exchange = null;
        foreach (var parameter in SemanticChecker.Merge(workflow.Parameters.Where(p => p.In is null).ToList(), step.Parameters))
        {
            if (!ExpressionEvaluator.TryResolveValue(parameter.Value, context, out var value, out var missing))
            {
                return Fail(WorkflowFailureKind.StepFailed, $"step '{step.StepId}': input '{parameter.Name}' of workflow '{workflowId}' has no value ({missing} is not set)", step);
            }

            inputs[parameter.Name] = value;
        }

        var nested = await session.RunAsync(target.Document, target.Workflow, inputs, depth + 1, 0, null, cancellationToken);
        if (nested.Failure is { Kind: WorkflowFailureKind.InvalidDocument or WorkflowFailureKind.InvalidInputs } broken)
        {
            return new StepOutcome(null, null, broken with { Message = $"step '{step.StepId}' runs workflow '{workflowId}': {broken.Message}", StepId = step.StepId });
        }

        var previousOutputs = context.Outputs;
        context.Outputs = nested.Outputs;
        try
        {
            var lastStatus = nested.Steps.Count > 0 ? nested.Steps[^1].StatusCode : 0;
            var (succeeded, outputs, invalid) = Judge(step, nested.Succeeded);
            if (invalid is not null)
            {
                return invalid;
            }

            var result = new StepResult(step.StepId, succeeded, lastStatus, outputs, nested.Failure?.ResponseBody, new Dictionary<string, string>());
            return new StepOutcome(result, null, null) { NestedFailure = nested.Failure };
        }
        finally
        {
            context.Outputs = previousOutputs;
        }
    }

    /// <summary>
    /// Applies the step's success criteria on top of <paramref name="succeeded"/> (the status or the nested run's
    /// verdict) and, when the step succeeded, evaluates its outputs. A criterion that cannot be evaluated breaks the run.
    /// </summary>
    private (bool Succeeded, Dictionary<string, JsonNode?> Outputs, StepOutcome? Broken) Judge(ArazzoStep step, bool succeeded)
    {
        foreach (var criterion in step.SuccessCriteria)
        {
            var outcome = CriterionEvaluator.Evaluate(criterion, context);
            if (outcome.Error is { } error)
            {
                return (false, new Dictionary<string, JsonNode?>(), Fail(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': {error}", step));
            }

            succeeded &= outcome.Holds;
        }

        return (succeeded, succeeded ? EvaluateOutputs(step.Outputs, context) : new Dictionary<string, JsonNode?>(), null);
    }

    public static Dictionary<string, JsonNode?> EvaluateOutputs(IReadOnlyDictionary<string, string> definitions, ExpressionContext context)
    {
        var outputs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (name, text) in definitions)
        {
            outputs[name] = RuntimeExpressionParser.TryParse(text, out var expression, out _)
                && ExpressionEvaluator.TryEvaluate(expression, context, out var value) ? value : null;
        }

        return outputs;
    }

    private static StepOutcome Fail(WorkflowFailureKind kind, string message, ArazzoStep step) =>
        new(null, null, new WorkflowFailure(kind, message, step.StepId));

    private static Dictionary<string, string> ReadHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        IEnumerable<KeyValuePair<string, IEnumerable<string>>> all = response.Headers;
        all = all.Concat(response.Content.Headers);
        foreach (var (name, values) in all)
        {
            headers[name] = string.Join(", ", values);
        }

        return headers;
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var text = await content.ReadAsStringAsync(cancellationToken);
        if (text.Length == 0)
        {
            return null;
        }

        if (IsJson(content.Headers.ContentType) || content.Headers.ContentType is null)
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep it as text so outputs and failures can still show it.
            }
        }

        return JsonValue.Create(text);
    }

    private static bool IsJson(MediaTypeHeaderValue? contentType) =>
        contentType?.MediaType is { } mediaType && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
