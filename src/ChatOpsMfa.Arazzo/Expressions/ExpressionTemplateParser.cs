using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Splits a string into literal text and expressions: the spec's <c>{$expr}</c> form, and the lenient bare
/// form (<c>SSWS $inputs.token</c>) that other runners accept and the seed document uses.
/// </summary>
internal static class ExpressionTemplateParser
{
    public static bool TryParse(string text, [NotNullWhen(true)] out ExpressionTemplate? template, [NotNullWhen(false)] out string? error)
    {
        template = null;
        if (RuntimeExpressionParser.StartsExpression(text, 0) && !text.Any(char.IsWhiteSpace))
        {
            if (!RuntimeExpressionParser.TryParse(text, out var whole, out error))
            {
                return false;
            }

            template = new ExpressionTemplate([new TemplatePart(null, whole, false)], whole);
            return true;
        }

        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '$')
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    error = "an embedded expression '{$' has no closing '}'";
                    return false;
                }

                if (!RuntimeExpressionParser.TryParse(text[(i + 1)..close], out var braced, out error))
                {
                    return false;
                }

                Flush(literal, parts);
                parts.Add(new TemplatePart(null, braced, true));
                i = close + 1;
            }
            else if (RuntimeExpressionParser.StartsExpression(text, i))
            {
                var end = ScanBare(text, i);
                if (!RuntimeExpressionParser.TryParse(text[i..end], out var bare, out error))
                {
                    return false;
                }

                Flush(literal, parts);
                parts.Add(new TemplatePart(null, bare, false));
                i = end;
            }
            else
            {
                literal.Append(text[i]);
                i++;
            }
        }

        Flush(literal, parts);
        var single = parts.Count == 1 && parts[0].Braced ? parts[0].Expression : null;
        template = new ExpressionTemplate(parts, single);
        error = null;
        return true;
    }

    private static int ScanBare(string text, int start)
    {
        var end = start + 1;
        while (end < text.Length && (RuntimeExpressionParser.IsNameChar(text[end]) || text[end] == '.'))
        {
            end++;
        }

        // A sentence-ending dot belongs to the text, not the expression.
        while (text[end - 1] == '.')
        {
            end--;
        }

        if (end < text.Length && text[end] == '#')
        {
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }
        }

        return end;
    }

    private static void Flush(StringBuilder literal, List<TemplatePart> parts)
    {
        if (literal.Length > 0)
        {
            parts.Add(new TemplatePart(literal.ToString(), null, false));
            literal.Clear();
        }
    }
}
