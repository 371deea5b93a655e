using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo.JsonPath;

// The syntax tree of an RFC 9535 JSONPath query (a closed set of node kinds).

internal abstract record JsonPathSelector;

internal sealed record NameSelector(string Name) : JsonPathSelector;

internal sealed record WildcardSelector : JsonPathSelector;

internal sealed record IndexSelector(long Index) : JsonPathSelector;

internal sealed record SliceSelector(long? Start, long? End, long? Step) : JsonPathSelector;

internal sealed record FilterSelector(FilterExpression Expression) : JsonPathSelector;

internal sealed record JsonPathSegment(bool Descendant, IReadOnlyList<JsonPathSelector> Selectors)
{
    /// <summary>One name or one index, not descendant: what a singular query is made of.</summary>
    public bool IsSingular => !Descendant && Selectors is [NameSelector or IndexSelector];
}

internal sealed record JsonPathQuerySyntax(bool Relative, IReadOnlyList<JsonPathSegment> Segments)
{
    public bool IsSingular => Segments.All(s => s.IsSingular);
}

internal abstract record FilterExpression;

internal sealed record OrExpression(IReadOnlyList<FilterExpression> Operands) : FilterExpression;

internal sealed record AndExpression(IReadOnlyList<FilterExpression> Operands) : FilterExpression;

internal sealed record NotExpression(FilterExpression Operand) : FilterExpression;

internal sealed record ComparisonExpression(string Operator, FilterOperand Left, FilterOperand Right) : FilterExpression;

/// <summary>An existence test (a query) or a LogicalType function.</summary>
internal sealed record TestExpression(FilterOperand Operand) : FilterExpression;

internal abstract record FilterOperand;

internal sealed record LiteralOperand(JsonNode? Value) : FilterOperand;

internal sealed record QueryOperand(JsonPathQuerySyntax Query) : FilterOperand;

internal sealed record FunctionOperand(string Name, IReadOnlyList<FilterOperand> Arguments) : FilterOperand;
