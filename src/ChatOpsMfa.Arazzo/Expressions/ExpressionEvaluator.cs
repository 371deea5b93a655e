using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Evaluates runtime expressions and strings or JSON values that embed them. Values keep their JSON type
/// and are returned as fresh copies so they can be placed in new JSON trees.
/// </summary>
internal static class ExpressionEvaluator
{
    /// <summary>False when the expression has no value here (missing input, no response yet, absent pointer).</summary>
    public static bool TryEvaluate(RuntimeExpression expression, ExpressionContext context, out JsonNode? value)
    {
        value = null;
        if (!TryEvaluateBase(expression, context, out var found))
        {
            return false;
        }

        if (expression.JsonPointer is { } pointer && !JsonPointerPath.TryGet(found, JsonPointerPath.Split(pointer), out found))
        {
            return false;
        }

        value = found?.DeepClone();
        return true;
    }

    /// <summary>Resolves a template; <paramref name="missing"/> names the first expression without a value.</summary>
    public static bool TryRender(ExpressionTemplate template, ExpressionContext context, out JsonNode? value, out string? missing)
    {
        value = null;
        missing = null;
        if (template.Whole is { } whole)
        {
            missing = TryEvaluate(whole, context, out value) ? null : whole.Text;
            return missing is null;
        }

        var text = new StringBuilder();
        foreach (var part in template.Parts)
        {
            if (part.Expression is null)
            {
                text.Append(part.Literal);
                continue;
            }

            if (!TryEvaluate(part.Expression, context, out var partValue))
            {
                missing = part.Expression.Text;
                return false;
            }

            text.Append(ToText(partValue));
        }

        value = JsonValue.Create(text.ToString());
        return true;
    }

    /// <summary>Resolves expressions anywhere inside a JSON value (objects, arrays and strings).</summary>
    public static bool TryResolveValue(JsonNode? node, ExpressionContext context, out JsonNode? value, out string? missing)
    {
        missing = null;
        switch (node)
        {
            case JsonObject obj:
                var resultObject = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    if (!TryResolveValue(child, context, out var resolved, out missing))
                    {
                        value = null;
                        return false;
                    }

                    resultObject[key] = resolved;
                }

                value = resultObject;
                return true;
            case JsonArray array:
                var resultArray = new JsonArray();
                foreach (var child in array)
                {
                    if (!TryResolveValue(child, context, out var resolved, out missing))
                    {
                        value = null;
                        return false;
                    }

                    resultArray.Add(resolved);
                }

                value = resultArray;
                return true;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                var text = scalar.GetValue<string>();
                if (!ExpressionTemplateParser.TryParse(text, out var template, out _) || !template.HasExpressions)
                {
                    // Load-time checks report unparsable expressions; at run time such text stays literal.
                    value = JsonValue.Create(text);
                    return true;
                }

                return TryRender(template, context, out value, out missing);
            default:
                value = node?.DeepClone();
                return true;
        }
    }

    /// <summary>Text of a value: strings as they are, other scalars and structures as JSON.</summary>
    public static string ToText(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => scalar.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static bool TryEvaluateBase(RuntimeExpression expression, ExpressionContext context, out JsonNode? value)
    {
        value = null;
        var segments = expression.Segments;
        var exchange = context.Exchange;
        switch (expression.Root)
        {
            case ExpressionRoot.Url when exchange is not null:
                value = JsonValue.Create(exchange.Url);
                return true;
            case ExpressionRoot.Method when exchange is not null:
                value = JsonValue.Create(exchange.Method);
                return true;
            case ExpressionRoot.StatusCode when exchange is not null && exchange.StatusCode != 0:
                value = JsonValue.Create(exchange.StatusCode);
                return true;
            case ExpressionRoot.Request when exchange is not null:
                return segments[0] switch
                {
                    "header" => TryText(exchange.RequestHeaders, Rest(segments), out value),
                    "query" => TryText(exchange.RequestQuery, Rest(segments), out value),
                    "path" => TryText(exchange.RequestPath, Rest(segments), out value),
                    _ => Navigate(exchange.RequestBody, segments.Skip(1), out value),
                };
            case ExpressionRoot.Response when exchange is not null && exchange.StatusCode != 0:
                return segments[0] == "header"
                    ? TryText(exchange.ResponseHeaders, Rest(segments), out value)
                    : Navigate(exchange.ResponseBody, segments.Skip(1), out value);
            case ExpressionRoot.Inputs:
                return TryNamed(context.Inputs, segments, out value);
            case ExpressionRoot.Outputs:
                return TryNamed(context.Outputs, segments, out value);
            case ExpressionRoot.Steps:
                return context.StepOutputs.TryGetValue(segments[0], out var stepOutputs)
                    && TryNamed(stepOutputs, segments.Skip(2).ToArray(), out value);
            case ExpressionRoot.Workflows when segments[1] == "outputs":
                return context.WorkflowOutputs.TryGetValue(segments[0], out var workflowOutputs)
                    && TryNamed(workflowOutputs, segments.Skip(2).ToArray(), out value);
            case ExpressionRoot.Workflows when segments[1] == "inputs":
                return context.WorkflowInputs.TryGetValue(segments[0], out var workflowInputs)
                    && TryNamed(workflowInputs, segments.Skip(2).ToArray(), out value);
            case ExpressionRoot.SourceDescriptions when segments[1] == "url":
                if (context.SourceDescriptionUrls.TryGetValue(segments[0], out var url))
                {
                    value = JsonValue.Create(url);
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    private static string Rest(IReadOnlyList<string> segments) => string.Join('.', segments.Skip(1));

    private static bool TryText(IReadOnlyDictionary<string, string> values, string name, out JsonNode? value)
    {
        foreach (var (key, text) in values)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = JsonValue.Create(text);
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Names may contain dots, so the longest name that exists wins; the rest navigates into the value.</summary>
    private static bool TryNamed(IReadOnlyDictionary<string, JsonNode?> values, IReadOnlyList<string> segments, out JsonNode? value)
    {
        for (var take = segments.Count; take >= 1; take--)
        {
            if (values.TryGetValue(string.Join('.', segments.Take(take)), out var found))
            {
                return Navigate(found, segments.Skip(take), out value);
            }
        }

        value = null;
        return false;
    }

    private static bool Navigate(JsonNode? start, IEnumerable<string> properties, out JsonNode? value) =>
        JsonPointerPath.TryGet(start, properties, out value);

}
