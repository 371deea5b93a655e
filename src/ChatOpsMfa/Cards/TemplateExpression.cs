using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Cards;

/// <summary>
/// The few expressions our card templates use inside <c>${...}</c>: a path (<c>a.b[0].c</c>, <c>$root.x</c>,
/// <c>$index</c>), <c>exists(path)</c>, and any of these negated with <c>!</c>. No general evaluator on purpose:
/// templates are ours, so anything else is a template bug and throws.
/// </summary>
internal static class TemplateExpression
{
    /// <summary>The value of <paramref name="expression"/>, or <c>null</c> when the path leads nowhere.</summary>
    public static JsonNode? Evaluate(string expression, BindingScope scope)
    {
        var text = expression.Trim();
        if (text.StartsWith('!'))
        {
            return JsonValue.Create(!IsTruthy(Evaluate(text[1..], scope)));
        }

        if (text.StartsWith("exists(", StringComparison.Ordinal) && text.EndsWith(')'))
        {
            return JsonValue.Create(Resolve(text["exists(".Length..^1].Trim(), scope) is not null);
        }

        return Resolve(text, scope);
    }

    /// <summary>
    /// Missing, null, false, "", 0 and [] are false; everything else is true. Empty lists count as false so a
    /// template can hide a heading when there is nothing under it (the real templating language needs count()).
    /// </summary>
    public static bool IsTruthy(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null or JsonValueKind.False => false,
        JsonValueKind.Array => value.AsArray().Count > 0,
        JsonValueKind.String => value.GetValue<string>().Length > 0,
        JsonValueKind.Number => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture) != 0,
        _ => true,
    };

    private static JsonNode? Resolve(string path, BindingScope scope)
    {
        if (path.Length == 0)
        {
            throw new FormatException("A card template has an empty expression.");
        }

        var segments = SplitPath(path);
        JsonNode? current;
        var first = segments[0];
        var start = 1;
        switch (first)
        {
            case "$root":
                current = scope.Root;
                break;
            case "$data":
                current = scope.Data;
                break;
            case "$index":
                if (segments.Count > 1 || scope.Index is null)
                {
                    throw new FormatException($"A card template uses $index outside a repeated element: '{path}'.");
                }

                return JsonValue.Create(scope.Index.Value);
            default:
                current = scope.Data;
                start = 0;
                break;
        }

        for (var i = start; i < segments.Count && current is not null; i++)
        {
            current = Step(current, segments[i], path);
        }

        return current;
    }

    private static JsonNode? Step(JsonNode current, string segment, string path)
    {
        if (segment.StartsWith('['))
        {
            if (!int.TryParse(segment[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                throw new FormatException($"A card template has a bad index in '{path}'.");
            }

            return current is JsonArray array && index < array.Count ? array[index] : null;
        }

        return current is JsonObject obj && obj.TryGetPropertyValue(segment, out var next) ? next : null;
    }

    // "a.b[0].c" -> a, b, [0], c. Only names made of letters, digits, '_' and a leading '$' are allowed.
    private static List<string> SplitPath(string path)
    {
        var segments = new List<string>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                if (segments.Count == 0 || i + 1 >= path.Length || path[i + 1] is '.' or '[')
                {
                    throw new FormatException($"A card template has a malformed path '{path}'.");
                }

                i++;
                continue;
            }

            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0 || segments.Count == 0)
                {
                    throw new FormatException($"A card template has a malformed path '{path}'.");
                }

                segments.Add(path[i..(close + 1)]);
                i = close + 1;
                continue;
            }

            var end = i;
            while (end < path.Length && (char.IsAsciiLetterOrDigit(path[end]) || path[end] == '_' || (path[end] == '$' && end == i)))
            {
                end++;
            }

            if (end == i)
            {
                throw new FormatException($"A card template has an unsupported expression '{path}'.");
            }

            segments.Add(path[i..end]);
            i = end;
        }

        return segments;
    }
}
