using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Cards;

/// <summary>
/// Binds data into a card template: the part of Adaptive Card Templating our cards need, meaning exactly what the
/// official engine (npm's <c>adaptivecards-templating</c>) makes of it; a test binds every template with both.
/// <list type="bullet">
/// <item><c>"${expr}"</c> as a whole string takes the value with its JSON type; <c>${expr}</c> inside longer text is
/// stringified. A missing value becomes "" (never the raw expression: the one deliberate difference from the
/// official engine, which writes the expression text). See <see cref="TemplateExpression"/> for expressions.</item>
/// <item><c>"$data": "${list}"</c> on an array element repeats it per item; inside, paths start at the item,
/// <c>$root</c> is the whole data and <c>$index</c> the item's position. On an object it just moves the scope.</item>
/// <item><c>"$when": "${condition}"</c> on an array element keeps or drops it; the condition must give true or
/// false, e.g. <c>${count(actions) &gt; 0}</c>, <c>${exists(x)}</c>, <c>${!exists(x)}</c>, <c>${flag}</c>.</item>
/// </list>
/// Forms the official engine reads differently are refused with a <see cref="FormatException"/> (a template bug):
/// a condition that is not true or false (a bare list, a text, a missing flag), <c>$when</c> outside an array
/// (the official engine leaves <c>null</c> there), <c>$data</c> that finds nothing or repeats outside an array,
/// nulls and lists inside template arrays (it drops and flattens them), lists or objects embedded in text, and
/// backslashes or backticks in text that holds an expression (it reads them as escapes).
/// Only the template is ever scanned for expressions. Bound values are copied in as JSON nodes, never
/// re-parsed or re-scanned, so user text such as <c>${x}</c> or <c>"}]</c> stays inert text.
/// </summary>
public static class AdaptiveCardTemplateBinder
{
    private const string DataKeyword = "$data";
    private const string WhenKeyword = "$when";

    // Property names the official engine silently drops from every object.
    private static readonly string[] ReservedNames = ["$root", "$index", "$host", "$_acTemplateVersion"];

    public static JsonNode? Bind(JsonNode template, JsonNode? data)
    {
        ArgumentNullException.ThrowIfNull(template);
        return BindNode(template, new BindingScope(data, data));
    }

    // A value that is not an array element: the root, or a property's value.
    private static JsonNode? BindNode(JsonNode? node, BindingScope scope)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.ContainsKey(WhenKeyword))
                {
                    throw new FormatException(
                        "A card template has $when outside an array; the official engine would leave null there. Put it on an array element.");
                }

                if (obj.TryGetPropertyValue(DataKeyword, out var dataExpression))
                {
                    scope = scope with { Data = EvaluateData(dataExpression, scope) is JsonObject item ? item : throw NotAnObject(dataExpression), Index = null };
                }

                return BindObjectBody(obj, scope);
            case JsonArray array:
                return BindArray(array, scope);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return BindString(value.GetValue<string>(), scope);
            default:
                return node?.DeepClone();
        }
    }

    private static JsonArray BindArray(JsonArray array, BindingScope scope)
    {
        var result = new JsonArray();
        foreach (var item in array)
        {
            switch (item)
            {
                case null:
                    throw new FormatException("A card template has null in an array; the official engine drops it.");
                case JsonArray:
                    throw new FormatException("A card template has a list inside a list; the official engine flattens it.");
                case JsonObject obj when obj.TryGetPropertyValue(DataKeyword, out var dataExpression):
                    var source = EvaluateData(dataExpression, scope);
                    if (source is JsonArray items)
                    {
                        for (var i = 0; i < items.Count; i++)
                        {
                            AddIfKept(result, obj, scope with { Data = items[i], Index = i });
                        }
                    }
                    else
                    {
                        AddIfKept(result, obj, scope with { Data = source as JsonObject ?? throw NotAnObject(dataExpression), Index = null });
                    }

                    break;
                case JsonObject obj:
                    AddIfKept(result, obj, scope);
                    break;
                default:
                    var bound = BindNode(item, scope);
                    if (bound is JsonArray or null)
                    {
                        throw new FormatException($"A card template's array element '{item.ToJsonString()}' gave a list or null; the official engine flattens or drops it.");
                    }

                    result.Add(bound);
                    break;
            }
        }

        return result;
    }

    private static void AddIfKept(JsonArray result, JsonObject element, BindingScope scope)
    {
        if (!element.TryGetPropertyValue(WhenKeyword, out var when) || Expression(when, WhenKeyword).EvaluateCondition(scope))
        {
            result.Add(BindObjectBody(element, scope));
        }
    }

    private static JsonObject BindObjectBody(JsonObject obj, BindingScope scope)
    {
        var result = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (name is DataKeyword or WhenKeyword)
            {
                continue;
            }

            if (ReservedNames.Contains(name, StringComparer.Ordinal))
            {
                throw new FormatException($"A card template uses the reserved name '{name}' as a property; the official engine drops it.");
            }

            result[name] = BindNode(value, scope);
        }

        return result;
    }

    // $data takes a list or an object. A missing one is refused: the official engine would repeat the element once
    // with the expression's own text as its data.
    private static JsonNode EvaluateData(JsonNode? keywordValue, BindingScope scope)
    {
        var expression = Expression(keywordValue, DataKeyword);
        return expression.Evaluate(scope) is { } value && value.GetValueKind() is JsonValueKind.Array or JsonValueKind.Object
            ? value
            : throw new FormatException(
                $"A card template's $data '${{{expression.Text}}}' found no list or object; guard the element with $when: ${{exists(...)}}.");
    }

    private static FormatException NotAnObject(JsonNode? keywordValue) =>
        new($"A card template's $data '{keywordValue?.ToJsonString()}' must give an object here; only an array element repeats over a list.");

    // $data and $when take exactly one "${expression}" (the official engine drops an element whose $when is a
    // literal, and reads "text ${x}" as text).
    private static TemplateExpression Expression(JsonNode? keywordValue, string keyword)
    {
        if (keywordValue is JsonValue value && value.GetValueKind() == JsonValueKind.String
            && Parts(value.GetValue<string>()) is [{ Expression: { } expression }])
        {
            return expression;
        }

        throw new FormatException($"A card template's {keyword} must be one \"${{...}}\" expression, not {keywordValue?.ToJsonString() ?? "null"}.");
    }

    private static JsonNode BindString(string text, BindingScope scope)
    {
        var parts = Parts(text);
        if (parts is [{ Expression: { } whole }])
        {
            return whole.Evaluate(scope)?.DeepClone() ?? JsonValue.Create(string.Empty);
        }

        if (parts.All(p => p.Expression is null))
        {
            return JsonValue.Create(text);
        }

        if (parts.Any(p => p.Expression is null && p.Text.AsSpan().IndexOfAny('\\', '`') >= 0))
        {
            throw new FormatException($"A card template's text '{text}' holds an expression and a backslash or backtick, which the official engine reads as escapes.");
        }

        var builder = new StringBuilder(text.Length);
        foreach (var part in parts)
        {
            builder.Append(part.Expression is null ? part.Text : Stringify(part.Expression.Evaluate(scope), part.Expression));
        }

        return JsonValue.Create(builder.ToString());
    }

    /// <summary>
    /// The text split into literal runs and <c>${...}</c> expressions. A <c>}</c> inside a quoted text in the
    /// expression does not close it; a <c>${</c> that is never closed stays literal, as in the official engine.
    /// </summary>
    private static List<(string Text, TemplateExpression? Expression)> Parts(string text)
    {
        var parts = new List<(string, TemplateExpression?)>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("${", position, StringComparison.Ordinal);
            var close = open < 0 ? -1 : ClosingBrace(text, open + 2);
            if (close < 0)
            {
                parts.Add((text[position..], null));
                break;
            }

            if (open > position)
            {
                parts.Add((text[position..open], null));
            }

            parts.Add((text[open..(close + 1)], TemplateExpression.Parse(text[(open + 2)..close])));
            position = close + 1;
        }

        return parts;
    }

    private static int ClosingBrace(string text, int start)
    {
        char? quote = null;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                // A backslash escapes the next character there (and the expression then refuses it).
                i += c == '\\' ? 1 : 0;
                quote = c == quote ? null : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '}')
            {
                return i;
            }
        }

        return -1;
    }

    private static string Stringify(JsonNode? value, TemplateExpression expression) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => string.Empty,
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        // JavaScript would write "1,2" or "[object Object]".
        _ => throw new FormatException($"A card template embeds the list or object '${{{expression.Text}}}' in text."),
    };
}
