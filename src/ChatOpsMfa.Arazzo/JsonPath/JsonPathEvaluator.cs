using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOpsMfa.Arazzo.JsonPath;

/// <summary>Evaluates a parsed query (RFC 9535 section 2): segments, selectors, filters and the five functions.</summary>
internal static class JsonPathEvaluator
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    public static IReadOnlyList<JsonPathNode> Select(JsonPathQuerySyntax query, JsonNode? document) =>
        Select(query, new JsonPathNode(document, "$"), document);

    /// <summary>A logical expression with both <c>$</c> and <c>@</c> standing for <paramref name="document"/>.</summary>
    public static bool Holds(FilterExpression expression, JsonNode? document) => Holds(expression, new JsonPathNode(document, "$"), document);

    private static List<JsonPathNode> Select(JsonPathQuerySyntax query, JsonPathNode start, JsonNode? root)
    {
        var nodes = new List<JsonPathNode> { start };
        foreach (var segment in query.Segments)
        {
            var next = new List<JsonPathNode>();
            foreach (var node in nodes)
            {
                if (segment.Descendant)
                {
                    foreach (var descendant in Descendants(node))
                    {
                        ApplySelectors(segment.Selectors, descendant, root, next);
                    }
                }
                else
                {
                    ApplySelectors(segment.Selectors, node, root, next);
                }
            }

            nodes = next;
        }

        return nodes;
    }

    /// <summary>The node and all its descendants, in document order (the node before its children).</summary>
    private static IEnumerable<JsonPathNode> Descendants(JsonPathNode node)
    {
        var stack = new Stack<JsonPathNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            var children = Children(current).ToList();
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    private static IEnumerable<JsonPathNode> Children(JsonPathNode node) => node.Value switch
    {
        JsonObject obj => obj.Select(p => new JsonPathNode(p.Value, node.Path + NameSegment(p.Key))),
        JsonArray array => array.Select((v, i) => new JsonPathNode(v, node.Path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]")),
        _ => [],
    };

    private static void ApplySelectors(IReadOnlyList<JsonPathSelector> selectors, JsonPathNode node, JsonNode? root, List<JsonPathNode> output)
    {
        foreach (var selector in selectors)
        {
            switch (selector)
            {
                case NameSelector name when node.Value is JsonObject obj && obj.TryGetPropertyValue(name.Name, out var member):
                    output.Add(new JsonPathNode(member, node.Path + NameSegment(name.Name)));
                    break;
                case WildcardSelector:
                    output.AddRange(Children(node));
                    break;
                case IndexSelector index when node.Value is JsonArray array:
                    var i = index.Index < 0 ? array.Count + index.Index : index.Index;
                    if (i >= 0 && i < array.Count)
                    {
                        output.Add(Element(node, array, (int)i));
                    }

                    break;
                case SliceSelector slice when node.Value is JsonArray array:
                    foreach (var j in SliceIndexes(slice, array.Count))
                    {
                        output.Add(Element(node, array, j));
                    }

                    break;
                case FilterSelector filter:
                    foreach (var child in Children(node))
                    {
                        if (Holds(filter.Expression, child, root))
                        {
                            output.Add(child);
                        }
                    }

                    break;
            }
        }
    }

    private static JsonPathNode Element(JsonPathNode parent, JsonArray array, int index) =>
        new(array[index], parent.Path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]");

    /// <summary>RFC 9535 section 2.3.4.2.2.</summary>
    private static IEnumerable<int> SliceIndexes(SliceSelector slice, int length)
    {
        var step = slice.Step ?? 1;
        if (step == 0)
        {
            yield break;
        }

        long Normalize(long i) => i >= 0 ? i : length + i;
        if (step > 0)
        {
            var lower = Math.Min(Math.Max(Normalize(slice.Start ?? 0), 0), length);
            var upper = Math.Min(Math.Max(Normalize(slice.End ?? length), 0), length);
            for (var i = lower; i < upper; i += step)
            {
                yield return (int)i;
            }
        }
        else
        {
            var upper = Math.Min(Math.Max(Normalize(slice.Start ?? length - 1), -1), length - 1);
            var lower = Math.Min(Math.Max(Normalize(slice.End ?? -length - 1), -1), length - 1);
            for (var i = upper; lower < i; i += step)
            {
                yield return (int)i;
            }
        }
    }

    private static bool Holds(FilterExpression expression, JsonPathNode current, JsonNode? root) => expression switch
    {
        OrExpression or => or.Operands.Any(o => Holds(o, current, root)),
        AndExpression and => and.Operands.All(o => Holds(o, current, root)),
        NotExpression not => !Holds(not.Operand, current, root),
        ComparisonExpression comparison => Compare(comparison.Operator, Value(comparison.Left, current, root), Value(comparison.Right, current, root)),
        TestExpression { Operand: QueryOperand query } => Nodes(query, current, root).Count > 0,
        TestExpression { Operand: FunctionOperand call } => Logical(call, current, root),
        _ => throw new InvalidOperationException("Unknown filter expression."),
    };

    private static List<JsonPathNode> Nodes(QueryOperand query, JsonPathNode current, JsonNode? root) =>
        Select(query.Query, query.Query.Relative ? current : new JsonPathNode(root, "$"), root);

    /// <summary>A ValueType result: a value, or Nothing (<c>Has</c> false).</summary>
    private static (bool Has, JsonNode? Value) Value(FilterOperand operand, JsonPathNode current, JsonNode? root)
    {
        switch (operand)
        {
            case LiteralOperand literal:
                return (true, literal.Value);
            case QueryOperand query:
                var nodes = Nodes(query, current, root);
                return nodes.Count == 1 ? (true, nodes[0].Value) : (false, null);
            case FunctionOperand { Name: "length" } call:
                var (has, value) = Value(call.Arguments[0], current, root);
                return !has ? (false, null) : value switch
                {
                    JsonValue s when s.GetValueKind() == JsonValueKind.String => (true, JsonValue.Create((double)CountScalars(s.GetValue<string>()))),
                    JsonArray array => (true, JsonValue.Create((double)array.Count)),
                    JsonObject obj => (true, JsonValue.Create((double)obj.Count)),
                    _ => (false, null),
                };
            case FunctionOperand { Name: "count" } call:
                return (true, JsonValue.Create((double)Nodes((QueryOperand)call.Arguments[0], current, root).Count));
            case FunctionOperand { Name: "value" } call:
                var selected = Nodes((QueryOperand)call.Arguments[0], current, root);
                return selected.Count == 1 ? (true, selected[0].Value) : (false, null);
            default:
                throw new InvalidOperationException("Not a value operand.");
        }
    }

    private static bool Logical(FunctionOperand call, JsonPathNode current, JsonNode? root)
    {
        var (hasText, text) = Value(call.Arguments[0], current, root);
        var (hasPattern, pattern) = Value(call.Arguments[1], current, root);
        if (!hasText || !hasPattern || text is not JsonValue t || t.GetValueKind() != JsonValueKind.String
            || pattern is not JsonValue p || p.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        if (IRegexp.ToDotNet(p.GetValue<string>()) is not { } converted)
        {
            return false;
        }

        try
        {
            var regex = call.Name == "match" ? "^(?:" + converted + ")\\z" : converted;
            return Regex.IsMatch(t.GetValue<string>(), regex, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return false; // not a valid I-Regexp
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static int CountScalars(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!(char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>RFC 9535 section 2.3.5.2.2.</summary>
    private static bool Compare(string op, (bool Has, JsonNode? Value) left, (bool Has, JsonNode? Value) right) => op switch
    {
        "==" => AreEqual(left, right),
        "!=" => !AreEqual(left, right),
        "<" => IsLess(left, right),
        "<=" => IsLess(left, right) || AreEqual(left, right),
        ">" => IsLess(right, left),
        ">=" => IsLess(right, left) || AreEqual(left, right),
        _ => false,
    };

    private static bool AreEqual((bool Has, JsonNode? Value) left, (bool Has, JsonNode? Value) right)
    {
        if (!left.Has || !right.Has)
        {
            return !left.Has && !right.Has;
        }

        return JsonEquals(left.Value, right.Value);
    }

    private static bool JsonEquals(JsonNode? a, JsonNode? b)
    {
        var kindA = a?.GetValueKind() ?? JsonValueKind.Null;
        var kindB = b?.GetValueKind() ?? JsonValueKind.Null;
        if (kindA == JsonValueKind.Number && kindB == JsonValueKind.Number)
        {
            return Number(a!) == Number(b!);
        }

        if (kindA != kindB)
        {
            return false;
        }

        switch (kindA)
        {
            case JsonValueKind.Object:
                var objA = (JsonObject)a!;
                var objB = (JsonObject)b!;
                return objA.Count == objB.Count && objA.All(p => objB.TryGetPropertyValue(p.Key, out var other) && JsonEquals(p.Value, other));
            case JsonValueKind.Array:
                var arrA = (JsonArray)a!;
                var arrB = (JsonArray)b!;
                return arrA.Count == arrB.Count && arrA.Select((v, i) => JsonEquals(v, arrB[i])).All(x => x);
            case JsonValueKind.String:
                return string.Equals(a!.GetValue<string>(), b!.GetValue<string>(), StringComparison.Ordinal);
            default:
                return true; // true, false, null: the kind is the value
        }
    }

    private static bool IsLess((bool Has, JsonNode? Value) left, (bool Has, JsonNode? Value) right)
    {
        if (!left.Has || !right.Has || left.Value is null || right.Value is null)
        {
            return false;
        }

        var kindA = left.Value.GetValueKind();
        var kindB = right.Value.GetValueKind();
        if (kindA == JsonValueKind.Number && kindB == JsonValueKind.Number)
        {
            return Number(left.Value) < Number(right.Value);
        }

        if (kindA == JsonValueKind.String && kindB == JsonValueKind.String)
        {
            return CompareScalars(left.Value.GetValue<string>(), right.Value.GetValue<string>()) < 0;
        }

        return false;
    }

    /// <summary>Strings order by Unicode scalar values, not UTF-16 code units.</summary>
    private static int CompareScalars(string a, string b)
    {
        var runesA = a.EnumerateRunes().GetEnumerator();
        var runesB = b.EnumerateRunes().GetEnumerator();
        while (true)
        {
            var hasA = runesA.MoveNext();
            var hasB = runesB.MoveNext();
            if (!hasA || !hasB)
            {
                return hasA.CompareTo(hasB);
            }

            var compared = runesA.Current.Value.CompareTo(runesB.Current.Value);
            if (compared != 0)
            {
                return compared;
            }
        }
    }

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>A normalized path segment for a member name (RFC 9535 section 2.7).</summary>
    private static string NameSegment(string name)
    {
        var text = new StringBuilder("['");
        foreach (var c in name)
        {
            switch (c)
            {
                case '\'': text.Append("\\'"); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        }

        return text.Append("']").ToString();
    }
}
