using System.Text;

namespace ChatOpsMfa.Arazzo.JsonPath;

/// <summary>
/// Translates an I-Regexp (RFC 9485, the regular expressions of JSONPath's match() and search()) into a .NET
/// pattern, or null when the text is not an I-Regexp. '.' is any character but CR and LF, and a character is a
/// Unicode scalar value (a surrogate pair counts as one). '^' and '$' anchor at the start and the very end, as the
/// JSONPath compliance suite expects.
/// </summary>
internal sealed class IRegexp
{
    private const string AnyChar = @"(?:[^\n\r\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])";
    private const string SingleCharEscapes = "()*+-.?[\\]^{|}nrt";

    private readonly string _text;
    private readonly StringBuilder _output = new();
    private int _position;

    private IRegexp(string text) => _text = text;

    public static string? ToDotNet(string pattern)
    {
        var converter = new IRegexp(pattern);
        return converter.Branches() && converter._position == pattern.Length ? converter._output.ToString() : null;
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    private bool Branches()
    {
        while (true)
        {
            while (!AtEnd && Current is not ('|' or ')'))
            {
                if (!Piece())
                {
                    return false;
                }
            }

            if (AtEnd || Current == ')')
            {
                return true;
            }

            _output.Append('|');
            _position++;
        }
    }

    private bool Piece()
    {
        if (!Atom())
        {
            return false;
        }

        if (AtEnd)
        {
            return true;
        }

        if (Current is '*' or '+' or '?')
        {
            _output.Append(Current);
            _position++;
            return true;
        }

        return Current != '{' || RangeQuantifier();
    }

    private bool RangeQuantifier()
    {
        var start = _position;
        _position++;
        if (!Digits())
        {
            return false;
        }

        if (!AtEnd && Current == ',')
        {
            _position++;
            Digits();
        }

        if (AtEnd || Current != '}')
        {
            return false;
        }

        _position++;
        _output.Append(_text, start, _position - start);
        return true;
    }

    private bool Digits()
    {
        var start = _position;
        while (!AtEnd && char.IsAsciiDigit(Current))
        {
            _position++;
        }

        return _position > start;
    }

    private bool Atom()
    {
        var c = Current;
        switch (c)
        {
            case '(':
                _position++;
                _output.Append("(?:");
                if (!Branches() || AtEnd || Current != ')')
                {
                    return false;
                }

                _position++;
                _output.Append(')');
                return true;
            case '.':
                _position++;
                _output.Append(AnyChar);
                return true;
            case '[':
                return CharClassExpression();
            case '\\':
                return Escape(inClass: false, out _);
            case '^':
                _position++;
                _output.Append('^');
                return true;
            case '$':
                _position++;
                _output.Append(@"\z");
                return true;
            case '*' or '+' or '?' or '{' or '}' or ']' or ')' or '|':
                return false;
            default:
                return Literal(inClass: false);
        }
    }

    private bool Literal(bool inClass)
    {
        var c = Current;
        if (char.IsHighSurrogate(c) && _position + 1 < _text.Length && char.IsLowSurrogate(_text[_position + 1]))
        {
            _output.Append(inClass ? $"{c}{_text[_position + 1]}" : $"(?:{c}{_text[_position + 1]})");
            _position += 2;
            return true;
        }

        if (char.IsSurrogate(c))
        {
            return false;
        }

        _position++;
        _output.Append(@"\^$.|?*+()[]{}\#- ".Contains(c, StringComparison.Ordinal) ? "\\" + c : c.ToString());
        return true;
    }

    private bool Escape(bool inClass, out bool isCategory)
    {
        isCategory = false;
        if (_position + 1 >= _text.Length)
        {
            return false;
        }

        var escaped = _text[_position + 1];
        if (escaped is 'p' or 'P')
        {
            var close = _text.IndexOf('}', _position);
            if (_position + 2 >= _text.Length || _text[_position + 2] != '{' || close < 0 || !IsCategory(_text[(_position + 3)..close]))
            {
                return false;
            }

            _output.Append(_text, _position, close + 1 - _position);
            _position = close + 1;
            isCategory = true;
            return true;
        }

        if (!SingleCharEscapes.Contains(escaped, StringComparison.Ordinal))
        {
            return false;
        }

        _output.Append(escaped switch { 'n' => @"\n", 'r' => @"\r", 't' => @"\t", _ => "\\" + escaped });
        _position += 2;
        _ = inClass;
        return true;
    }

    private static bool IsCategory(string name) => name is
        "L" or "Ll" or "Lm" or "Lo" or "Lt" or "Lu" or "M" or "Mc" or "Me" or "Mn" or "N" or "Nd" or "Nl" or "No"
        or "P" or "Pc" or "Pd" or "Pe" or "Pf" or "Pi" or "Po" or "Ps" or "Z" or "Zl" or "Zp" or "Zs"
        or "S" or "Sc" or "Sk" or "Sm" or "So" or "C" or "Cc" or "Cf" or "Cn" or "Co";

    private bool CharClassExpression()
    {
        _position++;
        var negated = !AtEnd && Current == '^';
        if (negated)
        {
            _position++;
        }

        var body = new StringBuilder();
        var saved = _output.Length;
        var first = true;
        while (true)
        {
            if (AtEnd)
            {
                return false;
            }

            var c = Current;
            if (c == ']' && !first)
            {
                _position++;
                break;
            }

            if (c == '-' && (first || (_position + 1 < _text.Length && _text[_position + 1] == ']')))
            {
                body.Append(@"\-");
                _position++;
                first = false;
                continue;
            }

            if (!ClassAtom(body, out var isCategory))
            {
                return false;
            }

            if (!isCategory && !AtEnd && Current == '-' && _position + 1 < _text.Length && _text[_position + 1] != ']')
            {
                _position++;
                body.Append('-');
                if (!ClassAtom(body, out var endIsCategory) || endIsCategory)
                {
                    return false;
                }
            }

            first = false;
        }

        _output.Length = saved;
        _output.Append(negated
            ? $@"(?:[^{body}\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])"
            : $"[{body}]");
        return true;
    }

    private bool ClassAtom(StringBuilder body, out bool isCategory)
    {
        isCategory = false;
        var saved = _output.Length;
        var ok = Current switch
        {
            '\\' => Escape(inClass: true, out isCategory),
            '[' or ']' => false,
            '-' => false,
            _ => Literal(inClass: true),
        };
        if (!ok)
        {
            return false;
        }

        body.Append(_output, saved, _output.Length - saved);
        _output.Length = saved;
        return true;
    }
}
