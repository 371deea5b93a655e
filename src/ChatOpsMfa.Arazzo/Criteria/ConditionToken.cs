using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

internal sealed record ConditionToken(ConditionTokenKind Kind, string Text, int Position, JsonNode? Literal = null, RuntimeExpression? Expression = null, IReadOnlyList<string>? Accessors = null);
