using System.Text.RegularExpressions;
using ChatOpsMfa.Arazzo.JsonPath;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Checks (at load) and evaluates (at run time) criteria: simple, regex, jsonpath (RFC 9535, our own evaluator; the
/// criterion holds when the query selects at least one node) and xpath (XPath 1.0 through System.Xml.XPath).
/// </summary>
internal static class CriterionEvaluator
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The prefix of every problem <see cref="Check"/> finds in the criterion's <c>context</c> (not its condition).</summary>
    public const string ContextProblem = "invalid context expression: ";

    /// <summary>Null when the criterion is well-formed and supported; otherwise what is wrong.</summary>
    public static string? Check(ArazzoCriterion criterion)
    {
        switch (criterion.Type)
        {
            case "simple":
                if (criterion.Context is not null && !RuntimeExpressionParser.TryParse(criterion.Context, out _, out var contextError))
                {
                    return ContextProblem + contextError;
                }

                return ConditionParser.TryParse(criterion.Condition, out _, out var error) ? null : $"invalid condition: {error}";
            case "regex":
                if (criterion.Context is null)
                {
                    return "a regex criterion needs a context expression";
                }

                if (!RuntimeExpressionParser.TryParse(criterion.Context, out _, out var regexContextError))
                {
                    return ContextProblem + regexContextError;
                }

                try
                {
                    _ = new Regex(criterion.Condition, RegexOptions.None, RegexTimeout);
                    return null;
                }
                catch (ArgumentException exception)
                {
                    return $"invalid regular expression: {exception.Message}";
                }

            case "jsonpath" or "xpath":
                if (criterion.Context is null)
                {
                    return $"a {criterion.Type} criterion needs a context expression";
                }

                if (!RuntimeExpressionParser.TryParse(criterion.Context, out _, out var queryContextError))
                {
                    return ContextProblem + queryContextError;
                }

                if (criterion.Type == "jsonpath")
                {
                    return JsonPathQuery.TryParse(criterion.Condition, out _, out var jsonPathError) || JsonPathQuery.TryParseLogical(criterion.Condition, out _)
                        ? null
                        : $"invalid JSONPath (RFC 9535): {jsonPathError}";
                }

                return XPathCriterion.Check(criterion.Condition);
            default:
                return $"unknown criterion type '{criterion.Type}'";
        }
    }

    public static CriterionOutcome Evaluate(ArazzoCriterion criterion, ExpressionContext context)
    {
        if (Check(criterion) is { } problem)
        {
            return CriterionOutcome.Failed(problem);
        }

        if (criterion.Type == "simple")
        {
            ConditionParser.TryParse(criterion.Condition, out var node, out _);
            return CriterionOutcome.Of(ConditionEvaluator.Evaluate(node!, context));
        }

        RuntimeExpressionParser.TryParse(criterion.Context!, out var contextExpression, out _);
        if (!ExpressionEvaluator.TryEvaluate(contextExpression!, context, out var value) || value is null)
        {
            return CriterionOutcome.Of(false);
        }

        if (criterion.Type == "jsonpath")
        {
            return JsonPathQuery.TryParse(criterion.Condition, out var query, out _)
                ? CriterionOutcome.Of(query.Select(value).Count > 0)
                : CriterionOutcome.Of(JsonPathQuery.TryParseLogical(criterion.Condition, out var holds) && holds(value));
        }

        if (criterion.Type == "xpath")
        {
            return XPathCriterion.Evaluate(criterion.Condition, value);
        }

        try
        {
            return CriterionOutcome.Of(Regex.IsMatch(ExpressionEvaluator.ToText(value), criterion.Condition, RegexOptions.None, RegexTimeout));
        }
        catch (RegexMatchTimeoutException)
        {
            return CriterionOutcome.Failed("the regular expression took too long");
        }
    }
}
