using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Splits a simple condition into tokens: runtime expressions, literals (true, false, null, numbers,
/// 'single quoted' strings with '' as the escaped quote), comparison and logical operators, parentheses.
/// Anything else (identifiers, calls, ';', '=') is a syntax error: nothing in a condition is executed.
/// </summary>
internal static class ConditionLexer
{
    private static readonly string[] Operators = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!"];

    public static List<ConditionToken> Tokenize(string text)
    {
        var tokens = new List<ConditionToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(' || c == ')')
            {
                tokens.Add(new ConditionToken(c == '(' ? ConditionTokenKind.OpenParen : ConditionTokenKind.CloseParen, c.ToString(), i));
                i++;
            }
            else if (c == '$')
            {
                i = ReadExpression(text, i, tokens);
            }
            else if (c == '\'')
            {
                i = ReadString(text, i, tokens);
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i = ReadNumber(text, i, tokens);
            }
            else if (char.IsAsciiLetter(c))
            {
                i = ReadWord(text, i, tokens);
            }
            else if (Operators.FirstOrDefault(op => string.CompareOrdinal(text, i, op, 0, op.Length) == 0) is { } op)
            {
                tokens.Add(new ConditionToken(ConditionTokenKind.Operator, op, i));
                i += op.Length;
            }
            else
            {
                throw new ConditionSyntaxException($"unexpected character '{c}' at position {i + 1}");
            }
        }

        tokens.Add(new ConditionToken(ConditionTokenKind.End, string.Empty, text.Length));
        return tokens;
    }

    private static int ReadExpression(string text, int start, List<ConditionToken> tokens)
    {
        var end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && "=!<>&|()'[".IndexOf(text[end], StringComparison.Ordinal) < 0)
        {
            end++;
        }

        var source = text[start..end];
        if (!RuntimeExpressionParser.TryParse(source, out var expression, out var error))
        {
            throw new ConditionSyntaxException($"invalid expression at position {start + 1}: {error}");
        }

        // The spec's Index operator ([0], 0-based) and property de-reference (.name) after an expression.
        var accessors = new List<string>();
        while (end < text.Length && text[end] == '[')
        {
            var close = text.IndexOf(']', end);
            var index = close < 0 ? string.Empty : text[(end + 1)..close];
            if (index.Length == 0 || !index.All(char.IsAsciiDigit))
            {
                throw new ConditionSyntaxException($"an index at position {end + 1} is a non-negative integer in brackets, like [0]");
            }

            accessors.Add(index);
            end = close + 1;
            while (end < text.Length && text[end] == '.')
            {
                var nameEnd = end + 1;
                while (nameEnd < text.Length && RuntimeExpressionParser.IsNameChar(text[nameEnd]))
                {
                    nameEnd++;
                }

                if (nameEnd == end + 1)
                {
                    throw new ConditionSyntaxException($"a property name is expected after '.' at position {end + 1}");
                }

                accessors.Add(text[(end + 1)..nameEnd]);
                end = nameEnd;
            }
        }

        tokens.Add(new ConditionToken(ConditionTokenKind.Expression, text[start..end], start, Expression: expression, Accessors: accessors));
        return end;
    }

    private static int ReadString(string text, int start, List<ConditionToken> tokens)
    {
        var value = new StringBuilder();
        var i = start + 1;
        while (i < text.Length)
        {
            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    value.Append('\'');
                    i += 2;
                    continue;
                }

                tokens.Add(new ConditionToken(ConditionTokenKind.Literal, text[start..(i + 1)], start, JsonValue.Create(value.ToString())));
                return i + 1;
            }

            value.Append(text[i]);
            i++;
        }

        throw new ConditionSyntaxException($"unterminated string starting at position {start + 1}");
    }

    private static int ReadNumber(string text, int start, List<ConditionToken> tokens)
    {
        var end = start + 1;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] is '.' or 'e' or 'E'
            || (text[end] is '+' or '-' && text[end - 1] is 'e' or 'E')))
        {
            end++;
        }

        var source = text[start..end];
        if (!decimal.TryParse(source, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new ConditionSyntaxException($"invalid number at position {start + 1}");
        }

        if (end < text.Length && char.IsAsciiLetter(text[end]))
        {
            throw new ConditionSyntaxException($"unexpected text after the number at position {start + 1}");
        }

        tokens.Add(new ConditionToken(ConditionTokenKind.Literal, source, start, JsonValue.Create(number)));
        return end;
    }

    private static int ReadWord(string text, int start, List<ConditionToken> tokens)
    {
        var end = start;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        var word = text[start..end];
        JsonNode? literal = word switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" => null,
            _ => throw new ConditionSyntaxException($"unexpected word at position {start + 1} (only true, false and null are allowed)"),
        };
        tokens.Add(new ConditionToken(ConditionTokenKind.Literal, word, start, literal));
        return end;
    }
}
