using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Cards;

/// <summary>
/// One expression from inside <c>${...}</c>: the small part of the Adaptive Expressions language our card
/// templates use, with the meaning the official templating engine gives it. Accepted:
/// <list type="bullet">
/// <item>paths: <c>a.b[0].c</c>, <c>$root.x</c>, <c>$data</c>, <c>$index</c> (names match ignoring case, as there);
/// literals: numbers, <c>'text'</c>, <c>true</c>, <c>false</c>;</item>
/// <item><c>exists(x)</c> (neither missing nor null) and <c>count(x)</c> (items of a list, characters of a text,
/// properties of an object);</item>
/// <item><c>!</c>, <c>&amp;&amp;</c>, <c>||</c> on true/false; <c>&lt; &lt;= &gt; &gt;=</c> on two numbers or two
/// texts; <c>== !=</c> on two numbers, texts or booleans; parentheses.</item>
/// </list>
/// A missing value behaves as there too: <c>count</c> of it is an evaluation error, which makes a comparison or
/// <c>&amp;&amp;</c> false and <c>!</c> true, so <c>${count(actions) &gt; 0}</c> is false without actions. Where
/// the official language would quietly coerce instead (a list as a condition, <c>!</c> of a text, a number compared
/// with a text, the length of a missing value's placeholder shown in text) this throws: the two engines never
/// disagree on an expression we accept. Anything else is a template bug and throws <see cref="FormatException"/>.
/// </summary>
internal sealed class TemplateExpression
{
    private static readonly ConcurrentDictionary<string, TemplateExpression> Parsed = new(StringComparer.Ordinal);

    private readonly Func<BindingScope, Result> _evaluate;

    private TemplateExpression(string text, Func<BindingScope, Result> evaluate)
    {
        Text = text;
        _evaluate = evaluate;
    }

    /// <summary>The expression as written, without <c>${</c> and <c>}</c>.</summary>
    public string Text { get; }

    /// <summary>The parsed expression (templates are ours and few, so parses are kept).</summary>
    public static TemplateExpression Parse(string text) => Parsed.GetOrAdd(text, t => new TemplateExpression(t, new Parser(t).ParseAll()));

    /// <summary>
    /// The value for text, a property or <c>$data</c>: <c>null</c> when a path leads nowhere. Bound data is returned
    /// as it is, never copied. An evaluation error (<c>count</c> of nothing, an index past the end of a list) throws:
    /// the official engine would show placeholder text or fail.
    /// </summary>
    public JsonNode? Evaluate(BindingScope scope)
    {
        var result = _evaluate(scope);
        return result.Failed
            ? throw new FormatException($"A card template's expression '${{{Text}}}' fails outside a condition (count of nothing, an index into nothing or past the end); the official engine would show placeholder text or fail.")
            : result.Node;
    }

    /// <summary>
    /// A <c>$when</c> condition: true or false; missing, null or an evaluation error count as false, as there. The
    /// official engine also drops an element whose condition gives anything else (a non-empty list, a text, a
    /// number), a shortcut that reads as "keep" to a person, so such a condition is refused here.
    /// </summary>
    public bool EvaluateCondition(BindingScope scope)
    {
        var result = _evaluate(scope);
        return result.Failed ? false : result.Node?.GetValueKind() switch
        {
            null or JsonValueKind.Null or JsonValueKind.False => false,
            JsonValueKind.True => true,
            var kind => throw new FormatException(
                $"A card template's $when '${{{Text}}}' gave {Describe(kind)}, not true or false; " +
                "write a condition such as ${count(list) > 0} or ${exists(x)}."),
        };
    }

    private static string Describe(JsonValueKind? kind) => kind switch
    {
        null or JsonValueKind.Null => "nothing",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a text",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };

    private static FormatException Bug(string expression, string problem) =>
        new($"A card template's expression '${{{expression}}}' {problem}.");

    /// <summary>A value, or an evaluation error as Adaptive Expressions has them (<c>count</c> of nothing, an index past the end).</summary>
    private readonly record struct Result(JsonNode? Node, bool Failed = false)
    {
        public static readonly Result Error = new(null, true);

        public JsonValueKind? Kind => Node?.GetValueKind() is JsonValueKind.Null ? null : Node?.GetValueKind();

        public static Result Of(bool value) => new(JsonValue.Create(value));
    }

    /// <summary>A recursive-descent parser; precedence as in Adaptive Expressions: ! then comparisons, &amp;&amp;, ||.</summary>
    private sealed class Parser(string text)
    {
        private int _position;

        public Func<BindingScope, Result> ParseAll()
        {
            SkipSpaces();
            if (_position == text.Length)
            {
                throw Bug(text, "is empty");
            }

            var expression = ParseOr();
            SkipSpaces();
            return _position == text.Length ? expression : throw Bug(text, $"is not supported from position {_position}");
        }

        // || and && as there: an operand that is missing, null or an error counts as false.
        private Func<BindingScope, Result> ParseOr()
        {
            var left = ParseAnd();
            while (Take("||"))
            {
                var (first, second) = (left, ParseAnd());
                left = scope => Result.Of(Boolean(first(scope), "||") || Boolean(second(scope), "||"));
            }

            return left;
        }

        private Func<BindingScope, Result> ParseAnd()
        {
            var left = ParseComparison();
            while (Take("&&"))
            {
                var (first, second) = (left, ParseComparison());
                left = scope => Result.Of(Boolean(first(scope), "&&") && Boolean(second(scope), "&&"));
            }

            return left;
        }

        private Func<BindingScope, Result> ParseComparison()
        {
            var left = ParseUnary();
            var op = TakeComparison();
            if (op is null)
            {
                return left;
            }

            var right = ParseUnary();
            if (TakeComparison() is not null)
            {
                throw Bug(text, "chains comparisons; use && between them");
            }

            return scope => Result.Of(Compare(op, left(scope), right(scope)));
        }

        // ! as there: missing, null or an error give true.
        private Func<BindingScope, Result> ParseUnary()
        {
            SkipSpaces();
            if (Peek() == '!')
            {
                _position++;
                var operand = ParseUnary();
                return scope => Result.Of(!Boolean(operand(scope), "!"));
            }

            return ParsePrimary();
        }

        private Func<BindingScope, Result> ParsePrimary()
        {
            SkipSpaces();
            var c = Peek();
            if (c == '(')
            {
                _position++;
                var inner = ParseOr();
                Expect(')');
                return inner;
            }

            if (char.IsAsciiDigit(c))
            {
                return Constant(JsonValue.Create(ReadNumber()));
            }

            if (c is '\'' or '"')
            {
                return Constant(JsonValue.Create(ReadText(c)));
            }

            var name = ReadName() ?? throw Bug(text, $"is not supported from position {_position}");
            SkipSpaces();
            if (Peek() == '(')
            {
                return ParseCall(name);
            }

            return name switch
            {
                "true" => Constant(JsonValue.Create(true)),
                "false" => Constant(JsonValue.Create(false)),
                "null" => throw Bug(text, "uses null; test with exists(x)"),
                _ => ParsePath(name),
            };
        }

        private Func<BindingScope, Result> ParseCall(string name)
        {
            Expect('(');
            var argument = ParseOr();
            Expect(')');
            return name switch
            {
                // A comparison there: an error or nothing gives false.
                "exists" => scope => argument(scope) is { Failed: false, Kind: not null } ? Result.Of(true) : Result.Of(false),
                "count" => scope => Count(argument(scope)),
                _ => throw Bug(text, $"calls '{name}', which our binder does not support"),
            };
        }

        private Result Count(Result value)
        {
            if (value.Failed || value.Kind is null)
            {
                return Result.Error;
            }

            return value.Node switch
            {
                JsonArray list => new Result(JsonValue.Create(list.Count)),
                JsonObject obj => new Result(JsonValue.Create(obj.Count)),
                JsonValue scalar when scalar.TryGetValue<string>(out var s) => new Result(JsonValue.Create(s.Length)),
                _ => throw Bug(text, $"counts {Describe(value.Kind)}; count() takes a list or a text"),
            };
        }

        private Func<BindingScope, Result> ParsePath(string first)
        {
            var steps = new List<Func<JsonNode?, Result>>();
            while (true)
            {
                if (Peek() == '.')
                {
                    _position++;
                    var property = ReadName();
                    if (property is null || property.StartsWith('$'))
                    {
                        throw Bug(text, "has a malformed path");
                    }

                    steps.Add(node => new Result(node is null ? null : Property(node, property)));
                }
                else if (Peek() == '[')
                {
                    _position++;
                    var digits = _position;
                    while (char.IsAsciiDigit(Peek()))
                    {
                        _position++;
                    }

                    if (digits == _position || Peek() != ']')
                    {
                        throw Bug(text, "has a bad index; only [0], [1], ... are supported");
                    }

                    var index = int.Parse(text.AsSpan(digits, _position - digits), NumberStyles.None, CultureInfo.InvariantCulture);
                    _position++;
                    // As there: an index into nothing or past the end of a list is an evaluation error. An index into a
                    // text or an object reads a character or a property named "0" there, so it is refused.
                    steps.Add(node => node switch
                    {
                        null => Result.Error,
                        JsonArray list => index < list.Count ? new Result(list[index]) : Result.Error,
                        _ => throw Bug(text, "indexes something that is not a list"),
                    });
                }
                else
                {
                    break;
                }
            }

            Func<BindingScope, JsonNode?> start = first switch
            {
                "$root" => scope => scope.Root,
                "$data" => scope => scope.Data,
                "$index" when steps.Count == 0 => scope => scope.Index is { } i
                    ? JsonValue.Create(i)
                    : throw Bug(text, "uses $index outside a repeated element"),
                _ when first.StartsWith('$') => throw Bug(text, $"uses '{first}', which our binder does not support"),
                _ => scope => scope.Data is null ? null : Property(scope.Data, first),
            };
            return scope =>
            {
                var current = new Result(start(scope));
                foreach (var step in steps)
                {
                    if (current.Failed)
                    {
                        break;
                    }

                    current = step(current.Node);
                }

                return current;
            };
        }

        // As in Adaptive Expressions: the first property whose name matches ignoring case.
        private static JsonNode? Property(JsonNode node, string name) =>
            node is JsonObject obj ? obj.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value : null;

        // As there, an error gives false, and so does nothing in an ordering; == and != treat two nothings as equal.
        private bool Compare(string op, Result left, Result right)
        {
            if (left.Failed || right.Failed)
            {
                return false;
            }

            var (l, r) = (left.Kind, right.Kind);
            if (l is null || r is null)
            {
                return op switch
                {
                    "==" => l == r,
                    "!=" => l != r,
                    _ => false,
                };
            }

            if (l == JsonValueKind.Number && r == JsonValueKind.Number)
            {
                return Order(op, Number(left.Node!).CompareTo(Number(right.Node!)));
            }

            if (l == JsonValueKind.String && r == JsonValueKind.String)
            {
                // JavaScript compares texts by UTF-16 code units, which is ordinal order.
                return Order(op, string.CompareOrdinal(left.Node!.GetValue<string>(), right.Node!.GetValue<string>()));
            }

            if (op is "==" or "!=" && l is JsonValueKind.True or JsonValueKind.False && r is JsonValueKind.True or JsonValueKind.False)
            {
                return (l == r) == (op == "==");
            }

            throw Bug(text, $"compares {Describe(l)} with {Describe(r)}");
        }

        private static double Number(JsonNode value) => double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);

        private static bool Order(string op, int order) => op switch
        {
            "==" => order == 0,
            "!=" => order != 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };

        private bool Boolean(Result value, string op) => value.Failed ? false : value.Kind switch
        {
            null or JsonValueKind.False => false,
            JsonValueKind.True => true,
            var kind => throw Bug(text, $"applies {op} to {Describe(kind)}; it takes true or false (use exists(x) or count(x) > 0)"),
        };

        private static Func<BindingScope, Result> Constant(JsonNode value) => _ => new Result(value);

        private string? TakeComparison()
        {
            foreach (var op in (string[])["==", "!=", "<=", ">=", "<", ">"])
            {
                if (Take(op))
                {
                    return op;
                }
            }

            return null;
        }

        private bool Take(string token)
        {
            SkipSpaces();
            if (string.CompareOrdinal(text, _position, token, 0, token.Length) != 0)
            {
                return false;
            }

            _position += token.Length;
            return true;
        }

        private void Expect(char c)
        {
            SkipSpaces();
            if (Peek() != c)
            {
                throw Bug(text, $"needs '{c}' at position {_position}");
            }

            _position++;
        }

        private double ReadNumber()
        {
            var start = _position;
            while (char.IsAsciiDigit(Peek()) || Peek() == '.')
            {
                _position++;
            }

            return double.TryParse(text.AsSpan(start, _position - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Bug(text, "has a malformed number");
        }

        // Texts without escapes: the official language reads backslashes in them.
        private string ReadText(char quote)
        {
            var end = text.IndexOf(quote, _position + 1);
            if (end < 0 || text.AsSpan(_position + 1, end - _position - 1).Contains('\\'))
            {
                throw Bug(text, "has an unterminated text or one with a backslash");
            }

            var value = text[(_position + 1)..end];
            _position = end + 1;
            return value;
        }

        // Letters, digits and '_', with an optional leading '$' ($root, $data, $index).
        private string? ReadName()
        {
            var start = _position;
            if (Peek() == '$')
            {
                _position++;
            }

            if (!(char.IsAsciiLetter(Peek()) || Peek() == '_'))
            {
                _position = start;
                return null;
            }

            while (char.IsAsciiLetterOrDigit(Peek()) || Peek() == '_')
            {
                _position++;
            }

            return text[start.._position];
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private void SkipSpaces()
        {
            while (_position < text.Length && text[_position] == ' ')
            {
                _position++;
            }
        }
    }
}
