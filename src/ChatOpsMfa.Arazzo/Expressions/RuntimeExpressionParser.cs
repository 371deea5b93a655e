using System.Diagnostics.CodeAnalysis;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Parses the Arazzo runtime-expression grammar (ABNF in spec section "Runtime Expressions"), plus the
/// spec examples' extensions: a JSON pointer after inputs/outputs/steps, and dot navigation after a value.
/// </summary>
internal static class RuntimeExpressionParser
{
    private static readonly (string Name, ExpressionRoot Root)[] Roots =
    [
        ("url", ExpressionRoot.Url),
        ("method", ExpressionRoot.Method),
        ("statusCode", ExpressionRoot.StatusCode),
        ("request", ExpressionRoot.Request),
        ("response", ExpressionRoot.Response),
        ("inputs", ExpressionRoot.Inputs),
        ("outputs", ExpressionRoot.Outputs),
        ("steps", ExpressionRoot.Steps),
        ("workflows", ExpressionRoot.Workflows),
        ("sourceDescriptions", ExpressionRoot.SourceDescriptions),
        ("components", ExpressionRoot.Components),
    ];

    /// <summary>True when <paramref name="text"/> at <paramref name="index"/> starts like an expression ('$' + a known root).</summary>
    public static bool StartsExpression(string text, int index)
    {
        if (index >= text.Length || text[index] != '$')
        {
            return false;
        }

        foreach (var (name, _) in Roots)
        {
            var end = index + 1 + name.Length;
            if (end <= text.Length && string.CompareOrdinal(text, index + 1, name, 0, name.Length) == 0
                && (end == text.Length || !IsNameChar(text[end]) || text[end] == '.'))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    public static bool TryParse(string text, [NotNullWhen(true)] out RuntimeExpression? expression, [NotNullWhen(false)] out string? error)
    {
        expression = null;
        if (!text.StartsWith('$'))
        {
            error = "an expression starts with '$'";
            return false;
        }

        var hash = text.IndexOf('#', StringComparison.Ordinal);
        var head = hash < 0 ? text[1..] : text[1..hash];
        var pointer = hash < 0 ? null : text[(hash + 1)..];
        if (pointer is not null && pointer.Length > 0 && pointer[0] != '/')
        {
            error = "the JSON pointer after '#' must be empty or start with '/'";
            return false;
        }

        var parts = head.Split('.');
        if (parts.Any(p => p.Length == 0))
        {
            error = "an expression has no empty name (nothing after a '.')";
            return false;
        }

        // Spec 1.0.1 ABNF: name = *( CHAR ), read with its errata: a name is not empty and holds no '{' or '}'
        // (those delimit embedded expressions), no whitespace and no control character.
        if (parts.FirstOrDefault(p => p.Any(c => c is '{' or '}' || char.IsWhiteSpace(c) || char.IsControl(c) || c > 0x7F)) is { } badName)
        {
            error = $"the name '{badName}' holds a character a runtime expression name cannot hold ('{{', '}}', whitespace or non-ASCII)";
            return false;
        }

        var root = Roots.Where(r => r.Name == parts[0]).Select(r => (ExpressionRoot?)r.Root).FirstOrDefault();
        if (root is null)
        {
            error = $"unknown expression root '${parts[0]}'";
            return false;
        }

        var segments = parts[1..];
        error = CheckShape(root.Value, segments, pointer);
        if (error is not null)
        {
            return false;
        }

        expression = new RuntimeExpression(text, root.Value, segments, pointer);
        return true;
    }

    private static string? CheckShape(ExpressionRoot root, string[] segments, string? pointer)
    {
        switch (root)
        {
            case ExpressionRoot.Url or ExpressionRoot.Method or ExpressionRoot.StatusCode:
                return segments.Length == 0 && pointer is null ? null : $"${root.ToString().ToLowerInvariant()} takes no name or pointer";
            case ExpressionRoot.Request or ExpressionRoot.Response:
                if (segments.Length == 0)
                {
                    return "expected header., query., path. or body after $request/$response";
                }

                return segments[0] switch
                {
                    "body" => null,
                    "header" or "query" or "path" when segments.Length >= 2 && pointer is null =>
                        root == ExpressionRoot.Response && segments[0] != "header" ? "a response has only header and body sources" : null,
                    "header" or "query" or "path" => $"expected {segments[0]}.<name> and no pointer",
                    _ => $"unknown source '{segments[0]}' (expected header, query, path or body)",
                };
            case ExpressionRoot.Inputs or ExpressionRoot.Outputs:
                return segments.Length >= 1 ? null : "expected a name after $inputs/$outputs";
            case ExpressionRoot.Steps:
                return segments.Length >= 3 && segments[1] == "outputs" ? null : "expected $steps.<stepId>.outputs.<name>";
            case ExpressionRoot.Workflows:
                return segments.Length >= 3 && segments[1] is "outputs" or "inputs" ? null : "expected $workflows.<workflowId>.outputs.<name> or .inputs.<name>";
            case ExpressionRoot.SourceDescriptions:
                return segments.Length >= 2 && pointer is null ? null : "expected $sourceDescriptions.<name>.url or .<operationId>";
            case ExpressionRoot.Components:
                return segments.Length >= 2 && pointer is null ? null : "expected $components.<type>.<name>";
            default:
                return "unsupported expression";
        }
    }
}
