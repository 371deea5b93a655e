using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>The syntax tree of a simple condition (a closed set of node kinds).</summary>
internal abstract record ConditionNode;

internal sealed record LiteralNode(JsonNode? Value) : ConditionNode;

internal sealed record ExpressionNode(RuntimeExpression Expression) : ConditionNode;

internal sealed record ComparisonNode(string Operator, ConditionNode Left, ConditionNode Right) : ConditionNode;

internal sealed record NotNode(ConditionNode Operand) : ConditionNode;

internal sealed record AndNode(ConditionNode Left, ConditionNode Right) : ConditionNode;

internal sealed record OrNode(ConditionNode Left, ConditionNode Right) : ConditionNode;
