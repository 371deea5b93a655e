using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Builds the HTTP request of an operation step: path parameters (URL-escaped) into the path template,
/// query, header and cookie parameters, and the request body with its replacements. Errors name the
/// step and the parameter, never a value.
/// </summary>
internal static class StepRequestBuilder
{
    public static BuiltRequest? Build(
        ArazzoWorkflow workflow, ArazzoStep step, ResolvedOperation operation, Uri? serverUrl, IReadOnlyDictionary<string, string>? sourceHeaders,
        ExpressionContext context, out string? error)
    {
        var path = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = new List<KeyValuePair<string, string>>();
        var headers = new List<KeyValuePair<string, string>>();
        var cookies = new List<string>();
        context.Exchange = null;
        foreach (var parameter in SemanticChecker.Merge(workflow.Parameters, step.Parameters))
        {
            if (!ExpressionEvaluator.TryResolveValue(parameter.Value, context, out var value, out var missing))
            {
                if (parameter.In == "path" || !IsWholeExpression(parameter.Value))
                {
                    error = $"step '{step.StepId}': {parameter.In} parameter '{parameter.Name}' has no value ({missing} is not set)";
                    return null;
                }

                continue; // An optional query/header parameter whose whole value is unset is left out.
            }

            var text = ExpressionEvaluator.ToText(value);
            switch (parameter.In)
            {
                case "path": path[parameter.Name] = text; break;
                case "query": query.Add(new(parameter.Name, text)); break;
                case "header": headers.Add(new(parameter.Name, text)); break;
                case "cookie": cookies.Add($"{parameter.Name}={Uri.EscapeDataString(text)}"); break;
            }
        }

        var pathText = operation.PathTemplate;
        foreach (var variable in operation.PathVariables)
        {
            if (!path.TryGetValue(variable, out var value))
            {
                error = $"step '{step.StepId}': path variable '{{{variable}}}' of '{operation.PathTemplate}' has no parameter";
                return null;
            }

            pathText = pathText.Replace("{" + variable + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        var baseUrl = serverUrl?.ToString() ?? operation.ServerUrl;
        if (baseUrl is null || !Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
        {
            error = $"step '{step.StepId}': no absolute server URL (the OpenAPI description has none; set WorkflowRunOptions.ServerUrl)";
            return null;
        }

        var url = baseUrl.TrimEnd('/') + pathText;
        if (query.Count > 0)
        {
            url += "?" + string.Join("&", query.Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value)));
        }

        var message = new HttpRequestMessage(new HttpMethod(operation.Method), url);
        JsonNode? body = null;
        if (step.RequestBody is { } requestBody)
        {
            if (!TryBuildBody(step, requestBody, context, out body, out error))
            {
                message.Dispose();
                return null;
            }

            message.Content = CreateContent(requestBody.ContentType, body);
        }

        if (cookies.Count > 0)
        {
            headers.Add(new("Cookie", string.Join("; ", cookies)));
        }

        // Configured credentials of this source: sent, but never visible to expressions ($request.header.*), so no
        // step can copy them into another source's request or an output.
        var credentials = (sourceHeaders ?? new Dictionary<string, string>())
            .Where(c => !headers.Any(h => string.Equals(h.Key, c.Key, StringComparison.OrdinalIgnoreCase)))
            .Select(c => new KeyValuePair<string, string>(c.Key, c.Value))
            .ToList();
        foreach (var (name, value) in headers.Concat(credentials))
        {
            if (!message.Headers.TryAddWithoutValidation(name, value) && message.Content is not null)
            {
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        error = null;
        var exchange = new RecordedExchange
        {
            Url = url,
            Method = operation.Method,
            RequestHeaders = headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(h => h.Value)), StringComparer.OrdinalIgnoreCase),
            RequestQuery = query.GroupBy(q => q.Key).ToDictionary(g => g.Key, g => g.First().Value),
            RequestPath = path,
            RequestBody = body,
        };
        return new BuiltRequest(message, exchange);
    }

    private static bool IsWholeExpression(JsonNode? value) =>
        value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String
        && ExpressionTemplateParser.TryParse(scalar.GetValue<string>(), out var template, out _) && template.Whole is not null;

    private static bool TryBuildBody(ArazzoStep step, ArazzoRequestBody requestBody, ExpressionContext context, out JsonNode? body, out string? error)
    {
        error = null;
        if (!ExpressionEvaluator.TryResolveValue(requestBody.Payload, context, out body, out var missing))
        {
            error = $"step '{step.StepId}': the request body has no value for {missing}";
            return false;
        }

        foreach (var replacement in requestBody.Replacements)
        {
            if (!ExpressionEvaluator.TryResolveValue(replacement.Value, context, out var value, out missing))
            {
                error = $"step '{step.StepId}': replacement '{replacement.Target}' has no value ({missing} is not set)";
                return false;
            }

            if (!JsonPointerPath.TrySet(ref body, replacement.Target, value))
            {
                error = $"step '{step.StepId}': replacement target '{replacement.Target}' is not in the payload";
                return false;
            }
        }

        return true;
    }

    private static HttpContent CreateContent(string? contentType, JsonNode? body)
    {
        var mediaType = contentType ?? "application/json";
        var isJson = mediaType.Contains("json", StringComparison.OrdinalIgnoreCase);
        if (!isJson && mediaType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) && body is JsonObject form)
        {
            var pairs = form.Select(p => new KeyValuePair<string, string>(p.Key, ExpressionEvaluator.ToText(p.Value)));
            var encoded = string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            return new StringContent(encoded, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        var text = isJson ? body?.ToJsonString() ?? "null" : ExpressionEvaluator.ToText(body);
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.Remove("Content-Type");
        content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        return content;
    }
}
