using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo.JsonPath;

/// <summary>
/// An RFC 9535 JSONPath query, parsed once and evaluated against any JSON value. Passes the JSONPath compliance
/// test suite (tests/specs/jsonpath/cts.json). Functions: length, count, match, search, value.
/// </summary>
public sealed class JsonPathQuery
{
    private readonly JsonPathQuerySyntax _syntax;

    private JsonPathQuery(string text, JsonPathQuerySyntax syntax)
    {
        Text = text;
        _syntax = syntax;
    }

    public string Text { get; }

    /// <exception cref="JsonPathException">The query is not valid JSONPath.</exception>
    public static JsonPathQuery Parse(string text) => new(text, JsonPathParser.Parse(text));

    public static bool TryParse(string text, [NotNullWhen(true)] out JsonPathQuery? query, [NotNullWhen(false)] out string? error)
    {
        try
        {
            query = Parse(text);
            error = null;
            return true;
        }
        catch (JsonPathException exception)
        {
            query = null;
            error = exception.Message;
            return false;
        }
    }

    /// <summary>
    /// A condition written as an RFC 9535 logical expression rather than a query (<c>$.access_token != null</c>, as the
    /// Arazzo examples write): true when it holds with <c>$</c> and <c>@</c> the context value.
    /// </summary>
    public static bool TryParseLogical(string text, [NotNullWhen(true)] out Func<JsonNode?, bool>? holds)
    {
        try
        {
            var expression = JsonPathParser.ParseFilterExpression(text);
            holds = document => JsonPathEvaluator.Holds(expression, document);
            return true;
        }
        catch (JsonPathException)
        {
            holds = null;
            return false;
        }
    }

    /// <summary>The nodes the query selects, in order.</summary>
    public IReadOnlyList<JsonPathNode> Select(JsonNode? document) => JsonPathEvaluator.Select(_syntax, document);
}
