using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo.JsonPath;

/// <summary>
/// Recursive-descent parser for the RFC 9535 grammar (section 2 ABNF), with the well-typedness rules of
/// section 2.4.3: comparisons take literals, singular queries and ValueType functions; tests take queries and
/// LogicalType functions; each function's arguments have its declared types.
/// </summary>
internal sealed class JsonPathParser
{
    private const long MaxSafeInteger = 9007199254740991; // 2^53 - 1, RFC 9535 section 2.1

    private static readonly Dictionary<string, (FunctionType Result, FunctionType[] Parameters)> Functions = new(StringComparer.Ordinal)
    {
        ["length"] = (FunctionType.Value, [FunctionType.Value]),
        ["count"] = (FunctionType.Value, [FunctionType.Nodes]),
        ["match"] = (FunctionType.Logical, [FunctionType.Value, FunctionType.Value]),
        ["search"] = (FunctionType.Logical, [FunctionType.Value, FunctionType.Value]),
        ["value"] = (FunctionType.Value, [FunctionType.Nodes]),
    };

    private readonly string _text;
    private int _position;

    private JsonPathParser(string text) => _text = text;

    private enum FunctionType
    {
        Value,
        Logical,
        Nodes,
    }

    public static JsonPathQuerySyntax Parse(string text)
    {
        var parser = new JsonPathParser(text);
        if (!parser.Take('$'))
        {
            throw parser.Error("a JSONPath query starts with '$'");
        }

        var query = new JsonPathQuerySyntax(false, parser.ParseSegments());
        if (parser._position != text.Length)
        {
            throw parser.Error("unexpected text");
        }

        return query;
    }

    /// <summary>An RFC 9535 logical expression (what follows <c>?</c> in a filter), read on its own.</summary>
    public static FilterExpression ParseFilterExpression(string text)
    {
        var parser = new JsonPathParser(text);
        parser.SkipBlank();
        var expression = parser.ParseOr();
        parser.SkipBlank();
        if (parser._position != text.Length)
        {
            throw parser.Error("unexpected text");
        }

        return expression;
    }

    private char Current => _position < _text.Length ? _text[_position] : '\0';

    private bool AtEnd => _position >= _text.Length;

    private JsonPathException Error(string message) => new($"{message} at position {_position + 1}");

    private bool Take(char c)
    {
        if (!AtEnd && _text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private bool Take(string s)
    {
        if (string.CompareOrdinal(_text, _position, s, 0, s.Length) == 0 && _position + s.Length <= _text.Length)
        {
            _position += s.Length;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        if (!Take(c))
        {
            throw Error($"expected '{c}'");
        }
    }

    private void SkipBlank()
    {
        while (!AtEnd && Current is ' ' or '\t' or '\n' or '\r')
        {
            _position++;
        }
    }

    private List<JsonPathSegment> ParseSegments()
    {
        var segments = new List<JsonPathSegment>();
        while (true)
        {
            var before = _position;
            SkipBlank();
            if (Current == '[')
            {
                segments.Add(new JsonPathSegment(false, ParseBracketed()));
            }
            else if (Take(".."))
            {
                segments.Add(new JsonPathSegment(true, Current == '[' ? ParseBracketed() : [ParseShorthand()]));
            }
            else if (Take('.'))
            {
                segments.Add(new JsonPathSegment(false, [ParseShorthand()]));
            }
            else
            {
                _position = before; // blanks before something that is not a segment belong to the caller
                return segments;
            }
        }
    }

    private JsonPathSelector ParseShorthand()
    {
        if (Take('*'))
        {
            return new WildcardSelector();
        }

        if (AtEnd || !IsNameFirst(Current))
        {
            throw Error("expected a member name or '*'");
        }

        var start = _position;
        while (!AtEnd && (IsNameFirst(Current) || char.IsAsciiDigit(Current)))
        {
            _position++;
        }

        return new NameSelector(_text[start.._position]);
    }

    private static bool IsNameFirst(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private List<JsonPathSelector> ParseBracketed()
    {
        Expect('[');
        var selectors = new List<JsonPathSelector>();
        do
        {
            SkipBlank();
            selectors.Add(ParseSelector());
            SkipBlank();
        }
        while (Take(','));

        Expect(']');
        return selectors;
    }

    private JsonPathSelector ParseSelector()
    {
        switch (Current)
        {
            case '\'' or '"':
                return new NameSelector(ParseString());
            case '*':
                _position++;
                return new WildcardSelector();
            case '?':
                _position++;
                SkipBlank();
                return new FilterSelector(ParseOr());
        }

        long? start = Current == ':' ? null : ParseInteger();
        SkipBlank();
        if (!Take(':'))
        {
            return start is { } index ? new IndexSelector(index) : throw Error("expected a selector");
        }

        SkipBlank();
        long? end = Current is ':' or ']' or ',' || AtEnd ? null : ParseInteger();
        SkipBlank();
        long? step = null;
        if (Take(':'))
        {
            SkipBlank();
            step = Current is ']' or ',' || AtEnd ? null : ParseInteger();
        }

        return new SliceSelector(start, end, step);
    }

    private long ParseInteger()
    {
        var start = _position;
        Take('-');
        if (AtEnd || !char.IsAsciiDigit(Current))
        {
            throw Error("expected an integer");
        }

        if (Current == '0' && (_position > start || (_position + 1 < _text.Length && char.IsAsciiDigit(_text[_position + 1]))))
        {
            throw Error("an integer has no leading zero and no '-0'");
        }

        while (!AtEnd && char.IsAsciiDigit(Current))
        {
            _position++;
        }

        if (!long.TryParse(_text.AsSpan(start, _position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value > MaxSafeInteger || value < -MaxSafeInteger)
        {
            throw Error("the integer is outside the interoperable range");
        }

        return value;
    }

    private string ParseString()
    {
        var quote = Current;
        _position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                throw Error("unterminated string");
            }

            var c = Current;
            _position++;
            if (c == quote)
            {
                return value.ToString();
            }

            if (c < 0x20)
            {
                throw Error("a control character must be escaped in a string");
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            var escaped = Current;
            _position++;
            switch (escaped)
            {
                case 'b': value.Append('\b'); break;
                case 'f': value.Append('\f'); break;
                case 'n': value.Append('\n'); break;
                case 'r': value.Append('\r'); break;
                case 't': value.Append('\t'); break;
                case '/': value.Append('/'); break;
                case '\\': value.Append('\\'); break;
                case 'u': value.Append(ParseUnicodeEscape()); break;
                default:
                    if (escaped == quote)
                    {
                        value.Append(quote);
                        break;
                    }

                    throw Error("invalid escape in a string");
            }
        }
    }

    private string ParseUnicodeEscape()
    {
        var high = ParseHex4();
        if (char.IsLowSurrogate(high))
        {
            throw Error("a low surrogate without a high surrogate");
        }

        if (!char.IsHighSurrogate(high))
        {
            return high.ToString();
        }

        if (!Take("\\u"))
        {
            throw Error("a high surrogate must be followed by a low surrogate escape");
        }

        var low = ParseHex4();
        return char.IsLowSurrogate(low) ? new string([high, low]) : throw Error("a high surrogate must be followed by a low surrogate");
    }

    private char ParseHex4()
    {
        var code = (ushort)0;
        if (_position + 4 > _text.Length || !_text.AsSpan(_position, 4).ToString().All(char.IsAsciiHexDigit)
            || !ushort.TryParse(_text.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out code))
        {
            throw Error("expected four hexadecimal digits");
        }

        _position += 4;
        return (char)code;
    }

    private FilterExpression ParseOr()
    {
        var operands = new List<FilterExpression> { ParseAnd() };
        while (true)
        {
            var before = _position;
            SkipBlank();
            if (!Take("||"))
            {
                _position = before;
                break;
            }

            SkipBlank();
            operands.Add(ParseAnd());
        }

        return operands.Count == 1 ? operands[0] : new OrExpression(operands);
    }

    private FilterExpression ParseAnd()
    {
        var operands = new List<FilterExpression> { ParseBasic() };
        while (true)
        {
            var before = _position;
            SkipBlank();
            if (!Take("&&"))
            {
                _position = before;
                break;
            }

            SkipBlank();
            operands.Add(ParseBasic());
        }

        return operands.Count == 1 ? operands[0] : new AndExpression(operands);
    }

    private FilterExpression ParseBasic()
    {
        if (Take('!'))
        {
            SkipBlank();
            if (Take('('))
            {
                return new NotExpression(ParseParenthesized());
            }

            var tested = ParseOperand();
            return new NotExpression(Test(tested));
        }

        if (Take('('))
        {
            return ParseParenthesized();
        }

        var left = ParseOperand();
        var before = _position;
        SkipBlank();
        foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
        {
            if (Take(op))
            {
                SkipBlank();
                var right = ParseOperand();
                return new ComparisonExpression(op, Comparable(left), Comparable(right));
            }
        }

        _position = before;
        return Test(left);
    }

    private FilterExpression ParseParenthesized()
    {
        SkipBlank();
        var inner = ParseOr();
        SkipBlank();
        Expect(')');
        return inner;
    }

    private FilterOperand ParseOperand()
    {
        var c = Current;
        if (c is '@' or '$')
        {
            _position++;
            return new QueryOperand(new JsonPathQuerySyntax(c == '@', ParseSegments()));
        }

        if (c is '\'' or '"')
        {
            return new LiteralOperand(JsonValue.Create(ParseString()));
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            return new LiteralOperand(ParseNumber());
        }

        foreach (var (word, value) in (ReadOnlySpan<(string, JsonNode?)>)[("true", JsonValue.Create(true)), ("false", JsonValue.Create(false)), ("null", null)])
        {
            if (string.CompareOrdinal(_text, _position, word, 0, word.Length) == 0 && !IsFunctionNameChar(_position + word.Length))
            {
                _position += word.Length;
                return new LiteralOperand(value);
            }
        }

        if (char.IsAsciiLetterLower(c))
        {
            return ParseFunction();
        }

        throw Error("expected a query, a literal or a function");
    }

    private bool IsFunctionNameChar(int index) =>
        index < _text.Length && (char.IsAsciiLetterLower(_text[index]) || char.IsAsciiDigit(_text[index]) || _text[index] == '_' || _text[index] == '(');

    private JsonNode ParseNumber()
    {
        var start = _position;
        Take('-');
        if (Take('0'))
        {
            if (char.IsAsciiDigit(Current))
            {
                throw Error("a number has no leading zero");
            }
        }
        else if (!SkipDigits())
        {
            throw Error("expected a number");
        }

        if (Take('.') && !SkipDigits())
        {
            throw Error("expected digits after '.'");
        }

        if (Take('e') || Take('E'))
        {
            _ = Take('-') || Take('+');
            if (!SkipDigits())
            {
                throw Error("expected digits in the exponent");
            }
        }

        var text = _text[start.._position];
        return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private bool SkipDigits()
    {
        var start = _position;
        while (!AtEnd && char.IsAsciiDigit(Current))
        {
            _position++;
        }

        return _position > start;
    }

    private FunctionOperand ParseFunction()
    {
        var start = _position;
        while (!AtEnd && (char.IsAsciiLetterLower(Current) || char.IsAsciiDigit(Current) || Current == '_'))
        {
            _position++;
        }

        var name = _text[start.._position];
        if (!Take('('))
        {
            throw Error($"'{name}' is not a literal or a function call");
        }

        if (!Functions.TryGetValue(name, out var signature))
        {
            throw Error($"unknown function '{name}'");
        }

        var arguments = new List<FilterOperand>();
        SkipBlank();
        if (!Take(')'))
        {
            do
            {
                SkipBlank();
                arguments.Add(ParseOperand());
                SkipBlank();
            }
            while (Take(','));

            Expect(')');
        }

        if (arguments.Count != signature.Parameters.Length)
        {
            throw Error($"{name}() takes {signature.Parameters.Length} argument(s)");
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            CheckArgument(name, arguments[i], signature.Parameters[i]);
        }

        return new FunctionOperand(name, arguments);
    }

    private void CheckArgument(string function, FilterOperand argument, FunctionType parameter)
    {
        var fits = (parameter, argument) switch
        {
            (FunctionType.Value, LiteralOperand) => true,
            (FunctionType.Value, QueryOperand query) => query.Query.IsSingular,
            (FunctionType.Value, FunctionOperand call) => Functions[call.Name].Result == FunctionType.Value,
            (FunctionType.Nodes, QueryOperand) => true,
            (FunctionType.Nodes, FunctionOperand call) => Functions[call.Name].Result == FunctionType.Nodes,
            _ => false,
        };
        if (!fits)
        {
            throw Error($"an argument of {function}() has the wrong type");
        }
    }

    private FilterOperand Comparable(FilterOperand operand) => operand switch
    {
        LiteralOperand => operand,
        QueryOperand query when query.Query.IsSingular => operand,
        FunctionOperand call when Functions[call.Name].Result == FunctionType.Value => operand,
        _ => throw Error("a comparison takes literals, singular queries and value functions"),
    };

    private TestExpression Test(FilterOperand operand) => operand switch
    {
        QueryOperand => new TestExpression(operand),
        FunctionOperand call when Functions[call.Name].Result is FunctionType.Logical or FunctionType.Nodes => new TestExpression(operand),
        _ => throw Error("a test takes a query or a logical function"),
    };
}
