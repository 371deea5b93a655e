using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo.Tests;

public class ConditionTests
{
    private static ExpressionContext Context() => new()
    {
        Inputs = new Dictionary<string, JsonNode?> { ["name"] = "Rex", ["count"] = 3, ["flag"] = true },
        SourceDescriptionUrls = new Dictionary<string, string>(),
        Exchange = new RecordedExchange
        {
            Url = "https://x.test/pets",
            Method = "GET",
            RequestHeaders = new Dictionary<string, string>(),
            RequestQuery = new Dictionary<string, string>(),
            RequestPath = new Dictionary<string, string>(),
            StatusCode = 200,
            ResponseHeaders = new Dictionary<string, string> { ["X-Rate-Limit-Remaining"] = "7" },
            ResponseBody = JsonNode.Parse("""{"status":"ACTIVE","items":[{"id":"a"}],"total":2.5,"none":null}"""),
        },
    };

    [Theory]
    [InlineData("$statusCode == 200", true)]
    [InlineData("$statusCode != 200", false)]
    [InlineData("$statusCode >= 200 && $statusCode < 300", true)]
    [InlineData("$statusCode == 201 || $statusCode == 200", true)]
    [InlineData("$response.body#/status == 'active'", true)]
    [InlineData("$response.body#/status == 'PENDING'", false)]
    [InlineData("$response.body#/items/0/id == 'A'", true)]
    [InlineData("$response.body#/total > 2", true)]
    [InlineData("$response.body#/none == null", true)]
    [InlineData("$response.body#/missing == null", true)]
    [InlineData("$response.header.x-rate-limit-remaining > 5", true)]
    [InlineData("$inputs.name == 'it''s'", false)]
    [InlineData("$inputs.flag", true)]
    [InlineData("!$inputs.flag", false)]
    [InlineData("$inputs.flag == true", true)]
    [InlineData("false || true && false", false)]
    [InlineData("(false || true) && false", false)]
    [InlineData("true || true && false", true)]
    [InlineData("!(true && false)", true)]
    [InlineData("!true || true", true)]
    [InlineData("$inputs.count <= 3 && $inputs.count > -1.5", true)]
    [InlineData("'abc' < 'abd'", false)]
    public void Simple_condition_evaluates(string condition, bool expected)
    {
        Assert.True(ConditionParser.TryParse(condition, out var node, out var error), error);

        Assert.Equal(expected, ConditionEvaluator.Evaluate(node, Context()));
    }

    [Theory]
    [InlineData("$statusCode == 200; System.Exit(1)")]
    [InlineData("$statusCode == 200 || require('child_process')")]
    [InlineData("__import__('os').system('id')")]
    [InlineData("$statusCode = 200")]
    [InlineData("$statusCode == 200 & true")]
    [InlineData("($statusCode == 200")]
    [InlineData("$statusCode == 'unterminated")]
    [InlineData("$statusCode == 200 == true")]
    [InlineData("$nothing.here == 1")]
    [InlineData("")]
    public void Injection_looking_or_malformed_condition_is_a_parse_error(string condition)
    {
        Assert.False(ConditionParser.TryParse(condition, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Regex_criterion_matches_its_context()
    {
        var holds = CriterionEvaluator.Evaluate(new ArazzoCriterion("^ACT", "regex", "$response.body#/status", "/c"), Context());
        var fails = CriterionEvaluator.Evaluate(new ArazzoCriterion("^PEND", "regex", "$response.body#/status", "/c"), Context());

        Assert.True(holds.Holds);
        Assert.False(fails.Holds);
    }

    [Fact]
    public void Jsonpath_criterion_is_reported_as_unsupported()
    {
        var outcome = CriterionEvaluator.Evaluate(new ArazzoCriterion("$[?count(@.items) > 0]", "jsonpath", "$response.body", "/c"), Context());

        Assert.False(outcome.Holds);
        Assert.Contains("'jsonpath' is not supported", outcome.Error, StringComparison.Ordinal);
    }
}
