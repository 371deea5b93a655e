using System.Text;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// A parsed SCIM filter expression (RFC 7644 §3.4.2.2), the subset the sandbox understands: <c>attribute op "value"</c>
/// comparisons joined by <c>and</c> / <c>or</c> (and binds tighter) with parentheses. Which attributes and operators an
/// operation accepts is the caller's rule; anything else fails to parse, so nothing is ever silently ignored.
/// </summary>
internal abstract record ScimFilter
{
    private const int MaxDepth = 16;

    /// <summary>True when the filter holds, given how one comparison is decided.</summary>
    public abstract bool Matches(Func<ScimComparison, bool> compare);

    /// <summary>Every comparison in the expression, for the caller to check attributes and operators.</summary>
    public abstract IEnumerable<ScimComparison> Comparisons();

    /// <summary>Parses <paramref name="text"/>; null with a reason when it is not a filter the sandbox understands.</summary>
    public static ScimFilter? Parse(string text, out string? problem)
    {
        var tokens = Tokenise(text, out problem);
        if (tokens is null)
        {
            return null;
        }

        var parser = new Parser(tokens);
        var filter = parser.Or(0, out problem);
        if (filter is not null && problem is null && parser.Position < tokens.Count)
        {
            problem = $"unexpected '{tokens[parser.Position].Text}' after a complete expression.";
            return null;
        }

        return problem is null ? filter : null;
    }

    private static List<Token>? Tokenise(string text, out string? problem)
    {
        problem = null;
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(new Token(c.ToString(), Quoted: false));
                i++;
            }
            else if (c == '"')
            {
                var value = new StringBuilder();
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                    {
                        value.Append(text[i + 1]);
                        i += 2;
                    }
                    else if (text[i] == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }
                    else
                    {
                        value.Append(text[i++]);
                    }
                }

                if (!closed)
                {
                    problem = "a quoted value is not closed.";
                    return null;
                }

                tokens.Add(new Token(value.ToString(), Quoted: true));
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '_' or '-' or ':'))
                {
                    i++;
                }

                tokens.Add(new Token(text[start..i], Quoted: false));
            }
            else
            {
                problem = $"unexpected character '{c}'.";
                return null;
            }
        }

        if (tokens.Count == 0)
        {
            problem = "the expression is empty.";
            return null;
        }

        return tokens;
    }

    private sealed record Token(string Text, bool Quoted)
    {
        public bool Is(string keyword) => !Quoted && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Parser(List<Token> tokens)
    {
        public int Position { get; private set; }

        private Token? Peek => Position < tokens.Count ? tokens[Position] : null;

        public ScimFilter? Or(int depth, out string? problem)
        {
            var left = And(depth, out problem);
            while (left is not null && Peek is { } next && next.Is("or"))
            {
                Position++;
                var right = And(depth, out problem);
                left = right is null ? null : new ScimOr(left, right);
            }

            return left;
        }

        private ScimFilter? And(int depth, out string? problem)
        {
            var left = Primary(depth, out problem);
            while (left is not null && Peek is { } next && next.Is("and"))
            {
                Position++;
                var right = Primary(depth, out problem);
                left = right is null ? null : new ScimAnd(left, right);
            }

            return left;
        }

        private ScimFilter? Primary(int depth, out string? problem)
        {
            problem = null;
            if (Peek is not { } first)
            {
                problem = "the expression ends where a comparison was expected.";
                return null;
            }

            if (first is { Quoted: false, Text: "(" })
            {
                if (depth >= MaxDepth)
                {
                    problem = $"parentheses nest deeper than {MaxDepth}.";
                    return null;
                }

                Position++;
                var inner = Or(depth + 1, out problem);
                if (inner is null)
                {
                    return null;
                }

                if (Peek is not { Quoted: false, Text: ")" })
                {
                    problem = "a '(' is not closed.";
                    return null;
                }

                Position++;
                return inner;
            }

            if (first.Quoted || first.Text is ")" || first.Is("and") || first.Is("or") || first.Is("not"))
            {
                problem = first.Is("not") ? "'not' is not supported." : $"'{first.Text}' is not an attribute name.";
                return null;
            }

            if (tokens.Count < Position + 3 || tokens[Position + 1].Quoted)
            {
                problem = $"'{first.Text}' must be followed by an operator and a quoted value.";
                return null;
            }

            var op = tokens[Position + 1];
            var value = tokens[Position + 2];
            if (!value.Quoted)
            {
                problem = $"the value after '{first.Text} {op.Text}' must be a quoted string.";
                return null;
            }

            Position += 3;
            return new ScimComparison(first.Text, op.Text.ToLowerInvariant(), value.Text);
        }
    }
}

/// <summary><c>attribute op "value"</c>; the operator is lower-cased (SCIM operators are case-insensitive).</summary>
internal sealed record ScimComparison(string Attribute, string Operator, string Value) : ScimFilter
{
    public override bool Matches(Func<ScimComparison, bool> compare) => compare(this);

    public override IEnumerable<ScimComparison> Comparisons() => [this];
}

internal sealed record ScimAnd(ScimFilter Left, ScimFilter Right) : ScimFilter
{
    public override bool Matches(Func<ScimComparison, bool> compare) => Left.Matches(compare) && Right.Matches(compare);

    public override IEnumerable<ScimComparison> Comparisons() => Left.Comparisons().Concat(Right.Comparisons());
}

internal sealed record ScimOr(ScimFilter Left, ScimFilter Right) : ScimFilter
{
    public override bool Matches(Func<ScimComparison, bool> compare) => Left.Matches(compare) || Right.Matches(compare);

    public override IEnumerable<ScimComparison> Comparisons() => Left.Comparisons().Concat(Right.Comparisons());
}
