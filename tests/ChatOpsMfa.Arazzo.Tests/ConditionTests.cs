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

    [Theory]
    [InlineData("$.items[?@.id == 'a']", true)]
    [InlineData("$.items[?@.id == 'b']", false)]
    [InlineData("$[?@ == 'ACTIVE']", true)]
    [InlineData("$.none", true)]
    [InlineData("$.missing", false)]
    [InlineData("$.status == 'ACTIVE'", true)]
    [InlineData("$.status != null && count($.items) == 1", true)]
    [InlineData("$.missing != null", true)] // RFC 9535 2.3.5.2.2: an absent value (Nothing) is not equal to null
    public void Jsonpath_criterion_holds_when_the_query_selects_a_node(string condition, bool expected)
    {
        var outcome = CriterionEvaluator.Evaluate(new ArazzoCriterion(condition, "jsonpath", "$response.body", "/c"), Context());

        Assert.Null(outcome.Error);
        Assert.Equal(expected, outcome.Holds);
    }

    [Theory]
    [InlineData("/pets/pet[1]/name = 'Rex'", true)]
    [InlineData("count(/pets/pet) > 1", false)]
    [InlineData("/pets/pet[@id='2']", false)]
    [InlineData("/pets/pet/name", true)]
    public void Xpath_criterion_evaluates_xml_text(string condition, bool expected)
    {
        var context = Context();
        context.Exchange!.ResponseBody = JsonValue.Create("<pets><pet id='1'><name>Rex</name></pet></pets>");

        var outcome = CriterionEvaluator.Evaluate(new ArazzoCriterion(condition, "xpath", "$response.body", "/c"), context);

        Assert.Null(outcome.Error);
        Assert.Equal(expected, outcome.Holds);
    }

    [Fact]
    public void Xpath_criterion_refuses_a_dtd()
    {
        var context = Context();
        context.Exchange!.ResponseBody = JsonValue.Create("<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><pets><pet>&e;</pet></pets>");

        var outcome = CriterionEvaluator.Evaluate(new ArazzoCriterion("contains(/pets/pet, 'root')", "xpath", "$response.body", "/c"), context);

        Assert.False(outcome.Holds);
    }

    [Theory]
    [InlineData("$response.body#/items[0].id == 'a'", true)]
    [InlineData("$response.body.items[0].id == 'A'", true)]
    [InlineData("$response.body.items[1].id == null", true)]
    public void Index_operator_in_a_condition_reads_an_array_element(string condition, bool expected)
    {
        var outcome = CriterionEvaluator.Evaluate(new ArazzoCriterion(condition, "simple", null, "/c"), Context());

        Assert.Null(outcome.Error);
        Assert.Equal(expected, outcome.Holds);
    }
}
