using System.Diagnostics.CodeAnalysis;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Recursive-descent parser for simple conditions. Precedence, lowest first: <c>||</c>, <c>&amp;&amp;</c>,
/// <c>!</c>, comparisons (<c>== != &lt; &lt;= &gt; &gt;=</c>, not chained), then literals, expressions and parentheses.
/// </summary>
internal sealed class ConditionParser
{
    private static readonly HashSet<string> ComparisonOperators = ["==", "!=", "<", "<=", ">", ">="];

    private readonly List<ConditionToken> _tokens;
    private int _position;

    private ConditionParser(List<ConditionToken> tokens) => _tokens = tokens;

    public static bool TryParse(string condition, [NotNullWhen(true)] out ConditionNode? node, [NotNullWhen(false)] out string? error)
    {
        try
        {
            var parser = new ConditionParser(ConditionLexer.Tokenize(condition));
            node = parser.ParseOr();
            if (parser.Current.Kind != ConditionTokenKind.End)
            {
                throw new ConditionSyntaxException($"unexpected '{parser.Current.Text}' at position {parser.Current.Position + 1}");
            }

            error = null;
            return true;
        }
        catch (ConditionSyntaxException exception)
        {
            node = null;
            error = exception.Message;
            return false;
        }
    }

    private ConditionToken Current => _tokens[_position];

    private bool TakeOperator(string op)
    {
        if (Current.Kind == ConditionTokenKind.Operator && Current.Text == op)
        {
            _position++;
            return true;
        }

        return false;
    }

    private ConditionNode ParseOr()
    {
        var left = ParseAnd();
        while (TakeOperator("||"))
        {
            left = new OrNode(left, ParseAnd());
        }

        return left;
    }

    private ConditionNode ParseAnd()
    {
        var left = ParseNot();
        while (TakeOperator("&&"))
        {
            left = new AndNode(left, ParseNot());
        }

        return left;
    }

    private ConditionNode ParseNot() => TakeOperator("!") ? new NotNode(ParseNot()) : ParseComparison();

    private ConditionNode ParseComparison()
    {
        var left = ParsePrimary();
        if (Current.Kind == ConditionTokenKind.Operator && ComparisonOperators.Contains(Current.Text))
        {
            var op = Current.Text;
            _position++;
            var right = ParsePrimary();
            if (Current.Kind == ConditionTokenKind.Operator && ComparisonOperators.Contains(Current.Text))
            {
                throw new ConditionSyntaxException($"comparisons cannot be chained (position {Current.Position + 1}); use && or parentheses");
            }

            return new ComparisonNode(op, left, right);
        }

        return left;
    }

    private ConditionNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case ConditionTokenKind.OpenParen:
                _position++;
                var inner = ParseOr();
                if (Current.Kind != ConditionTokenKind.CloseParen)
                {
                    throw new ConditionSyntaxException($"expected ')' at position {Current.Position + 1}");
                }

                _position++;
                return inner;
            case ConditionTokenKind.Literal:
                _position++;
                return new LiteralNode(token.Literal);
            case ConditionTokenKind.Expression:
                _position++;
                return new ExpressionNode(token.Expression!, token.Accessors ?? []);
            case ConditionTokenKind.End:
                throw new ConditionSyntaxException("the condition ends where a value was expected");
            default:
                throw new ConditionSyntaxException($"expected a value at position {token.Position + 1}, found '{token.Text}'");
        }
    }
}
