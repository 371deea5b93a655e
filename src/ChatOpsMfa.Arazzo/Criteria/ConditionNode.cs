using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>The syntax tree of a simple condition (a closed set of node kinds).</summary>
internal abstract record ConditionNode;

internal sealed record LiteralNode(JsonNode? Value) : ConditionNode;

/// <summary>An expression, then the index ([0]) and property (.name) accessors written after it in the condition.</summary>
internal sealed record ExpressionNode(RuntimeExpression Expression, IReadOnlyList<string> Accessors) : ConditionNode;

internal sealed record ComparisonNode(string Operator, ConditionNode Left, ConditionNode Right) : ConditionNode;

internal sealed record NotNode(ConditionNode Operand) : ConditionNode;

internal sealed record AndNode(ConditionNode Left, ConditionNode Right) : ConditionNode;

internal sealed record OrNode(ConditionNode Left, ConditionNode Right) : ConditionNode;
