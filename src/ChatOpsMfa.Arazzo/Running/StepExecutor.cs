using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>Sends one step's request and judges the response against the step's success criteria.</summary>
internal sealed class StepExecutor(HttpClient httpClient, ArazzoDocument document, ArazzoWorkflow workflow, WorkflowRunOptions options, ExpressionContext context)
{
    public async Task<StepOutcome> ExecuteAsync(ArazzoStep step, int attempt, CancellationToken cancellationToken)
    {
        if (document.FindOperation(workflow.WorkflowId, step.StepId) is not { } operation)
        {
            return Fail(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': no OpenAPI operation was resolved for it", step);
        }

        var built = StepRequestBuilder.Build(workflow, step, operation, options.ServerUrl, context, out var buildError);
        if (built is null)
        {
            return Fail(WorkflowFailureKind.StepFailed, buildError!, step);
        }

        using var request = built.Message;
        var exchange = built.Exchange;
        if (options.OnStepStarting is { } starting)
        {
            await starting(new StepAttempt(step.StepId, operation.OperationId ?? step.OperationPath ?? string.Empty, operation.Method, attempt), cancellationToken);
        }

        try
        {
            using var response = await httpClient.SendAsync(request, cancellationToken);
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
        var succeeded = exchange.StatusCode is >= 200 and < 300 || step.SuccessCriteria.Count > 0;
        foreach (var criterion in step.SuccessCriteria)
        {
            var outcome = CriterionEvaluator.Evaluate(criterion, context);
            if (outcome.Error is { } error)
            {
                return Fail(WorkflowFailureKind.InvalidDocument, $"step '{step.StepId}': {error}", step);
            }

            succeeded &= outcome.Holds;
        }

        var outputs = succeeded ? EvaluateOutputs(step.Outputs, context) : new Dictionary<string, JsonNode?>();
        var result = new StepResult(step.StepId, succeeded, exchange.StatusCode, outputs, exchange.ResponseBody, exchange.ResponseHeaders);
        return new StepOutcome(result, exchange, null);
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
