using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Cards;

/// <summary>
/// Binds data into a card template: the subset of Adaptive Card Templating our cards need.
/// <list type="bullet">
/// <item><c>"${path}"</c> as a whole string takes the bound value with its JSON type; <c>${path}</c> inside longer
/// text is stringified. A missing value becomes "" (never the raw expression).</item>
/// <item><c>"$data": "${list}"</c> on an array element repeats it per item; inside, paths start at the item,
/// <c>$root</c> is the whole data and <c>$index</c> the item's position. On an object it just moves the scope.</item>
/// <item><c>"$when": "${flag}"</c>, <c>"${!flag}"</c>, <c>"${exists(x)}"</c> keeps or drops the element
/// (see <see cref="TemplateExpression.IsTruthy"/>).</item>
/// </list>
/// Only the template is ever scanned for expressions. Bound values are copied in as JSON nodes, never
/// re-parsed or re-scanned, so user text such as <c>${x}</c> or <c>"}]</c> stays inert text.
/// </summary>
public static class AdaptiveCardTemplateBinder
{
    private const string DataKeyword = "$data";
    private const string WhenKeyword = "$when";

    public static JsonNode? Bind(JsonNode template, JsonNode? data)
    {
        ArgumentNullException.ThrowIfNull(template);
        var scope = new BindingScope(data, data);
        return TryBindElement(template, scope, out var bound) ? bound : null;
    }

    // False when a $when dropped the element.
    private static bool TryBindElement(JsonNode? node, BindingScope scope, out JsonNode? bound)
    {
        if (node is JsonObject obj && obj.TryGetPropertyValue(DataKeyword, out var dataExpression))
        {
            var value = EvaluateKeyword(dataExpression);
            scope = scope with { Data = value(scope), Index = null };
        }

        return TryBindWithoutData(node, scope, out bound);
    }

    private static bool TryBindWithoutData(JsonNode? node, BindingScope scope, out JsonNode? bound)
    {
        switch (node)
        {
            case JsonObject obj:
                return TryBindObject(obj, scope, out bound);
            case JsonArray array:
                bound = BindArray(array, scope);
                return true;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                bound = BindString(value.GetValue<string>(), scope);
                return true;
            default:
                bound = node?.DeepClone();
                return true;
        }
    }

    private static bool TryBindObject(JsonObject obj, BindingScope scope, out JsonNode? bound)
    {
        bound = null;
        if (obj.TryGetPropertyValue(WhenKeyword, out var when) && !TemplateExpression.IsTruthy(EvaluateKeyword(when)(scope)))
        {
            return false;
        }

        var result = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (name is DataKeyword or WhenKeyword)
            {
                continue;
            }

            if (TryBindElement(value, scope, out var boundValue))
            {
                result[name] = boundValue;
            }
        }

        bound = result;
        return true;
    }

    private static JsonArray BindArray(JsonArray array, BindingScope scope)
    {
        var result = new JsonArray();
        foreach (var item in array)
        {
            if (item is JsonObject obj && obj.TryGetPropertyValue(DataKeyword, out var dataExpression))
            {
                var source = EvaluateKeyword(dataExpression)(scope);
                if (source is JsonArray items)
                {
                    for (var i = 0; i < items.Count; i++)
                    {
                        AddIfKept(result, obj, scope with { Data = items[i], Index = i });
                    }
                }
                else if (source is not null)
                {
                    AddIfKept(result, obj, scope with { Data = source, Index = null });
                }

                // Missing data: nothing to repeat, so the element disappears.
                continue;
            }

            AddIfKept(result, item, scope);
        }

        return result;
    }

    private static void AddIfKept(JsonArray result, JsonNode? element, BindingScope scope)
    {
        if (TryBindWithoutData(element, scope, out var bound))
        {
            result.Add(bound);
        }
    }

    // $data and $when take "${expression}"; a literal JSON value is taken as it is.
    private static Func<BindingScope, JsonNode?> EvaluateKeyword(JsonNode? keywordValue)
    {
        if (keywordValue is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && TryParseWholeExpression(value.GetValue<string>(), out var expression))
        {
            return scope => TemplateExpression.Evaluate(expression, scope);
        }

        return _ => keywordValue;
    }

    private static JsonNode? BindString(string text, BindingScope scope)
    {
        if (TryParseWholeExpression(text, out var whole))
        {
            return TemplateExpression.Evaluate(whole, scope)?.DeepClone() ?? JsonValue.Create(string.Empty);
        }

        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return JsonValue.Create(text);
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("${", position, StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf('}', open + 2);
            if (open < 0 || close < 0)
            {
                builder.Append(text, position, text.Length - position);
                break;
            }

            builder.Append(text, position, open - position);
            builder.Append(Stringify(TemplateExpression.Evaluate(text[(open + 2)..close], scope)));
            position = close + 1;
        }

        return JsonValue.Create(builder.ToString());
    }

    private static bool TryParseWholeExpression(string text, out string expression)
    {
        expression = string.Empty;
        if (text.Length < 3 || !text.StartsWith("${", StringComparison.Ordinal) || !text.EndsWith('}')
            || text.IndexOf('}', 2) != text.Length - 1)
        {
            return false;
        }

        expression = text[2..^1];
        return true;
    }

    private static string Stringify(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => string.Empty,
        JsonValueKind.String => value.GetValue<string>(),
        // Numbers and booleans as JSON writes them (invariant); lists and objects as compact JSON text.
        _ => value.ToJsonString(),
    };
}
