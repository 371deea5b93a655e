using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Evaluates a parsed simple condition. Strings compare case-insensitively (spec), numbers numerically
/// (a numeric string compares as a number, since headers are text), and ordering is numeric only.
/// An expression without a value is null. Only boolean true is true.
/// </summary>
internal static class ConditionEvaluator
{
    public static bool Evaluate(ConditionNode node, ExpressionContext context) => IsTrue(Value(node, context));

    private static JsonNode? Value(ConditionNode node, ExpressionContext context) => node switch
    {
        LiteralNode literal => literal.Value,
        ExpressionNode expression => ExpressionEvaluator.TryEvaluate(expression.Expression, context, out var value) && JsonPointerPath.TryGet(value, expression.Accessors, out var inner) ? inner : null,
        NotNode not => JsonValue.Create(!IsTrue(Value(not.Operand, context))),
        AndNode and => JsonValue.Create(IsTrue(Value(and.Left, context)) && IsTrue(Value(and.Right, context))),
        OrNode or => JsonValue.Create(IsTrue(Value(or.Left, context)) || IsTrue(Value(or.Right, context))),
        ComparisonNode comparison => JsonValue.Create(Compare(comparison.Operator, Value(comparison.Left, context), Value(comparison.Right, context))),
        _ => throw new InvalidOperationException("Unknown condition node."),
    };

    private static bool IsTrue(JsonNode? value) => value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.True;

    private static bool Compare(string op, JsonNode? left, JsonNode? right)
    {
        if (op is "==" or "!=")
        {
            return AreEqual(left, right) == (op == "==");
        }

        if (!TryNumber(left, out var l) || !TryNumber(right, out var r))
        {
            return false;
        }

        return op switch
        {
            "<" => l < r,
            "<=" => l <= r,
            ">" => l > r,
            ">=" => l >= r,
            _ => false,
        };
    }

    private static bool AreEqual(JsonNode? left, JsonNode? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        var leftKind = left.GetValueKind();
        var rightKind = right.GetValueKind();
        if ((leftKind == JsonValueKind.Number || rightKind == JsonValueKind.Number) && TryNumber(left, out var l) && TryNumber(right, out var r))
        {
            return l == r;
        }

        if (left is JsonValue && right is JsonValue && leftKind != JsonValueKind.Number && rightKind != JsonValueKind.Number)
        {
            return string.Equals(ExpressionEvaluator.ToText(left), ExpressionEvaluator.ToText(right), StringComparison.OrdinalIgnoreCase);
        }

        return JsonNode.DeepEquals(left, right);
    }

    private static bool TryNumber(JsonNode? value, out double number)
    {
        number = 0;
        if (value is not JsonValue scalar)
        {
            return false;
        }

        var text = scalar.GetValueKind() switch
        {
            JsonValueKind.Number => scalar.ToJsonString(),
            JsonValueKind.String => scalar.GetValue<string>().Trim(),
            _ => null,
        };
        return text is { Length: > 0 } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }
}
