using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Tests.Cards;

public sealed class AdaptiveCardTemplateBinderTests
{
    [Fact]
    public void Nested_paths_are_bound_into_embedded_text()
    {
        var bound = Bind("""{"text":"For ${target.displayName} (${target.login})"}""",
            """{"target":{"displayName":"Ada Lovelace","login":"ada@example.com"}}""");

        Assert.Equal("For Ada Lovelace (ada@example.com)", bound["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_whole_string_expression_keeps_the_json_type()
    {
        var bound = Bind("""{"n":"${count}","b":"${flag}","o":"${obj}","a":"${list}","s":"${name}"}""",
            """{"count":42,"flag":true,"obj":{"x":1},"list":[1,"two"],"name":"Ada"}""");

        Assert.Equal(JsonValueKind.Number, bound["n"]!.GetValueKind());
        Assert.Equal(42, bound["n"]!.GetValue<int>());
        Assert.Equal(JsonValueKind.True, bound["b"]!.GetValueKind());
        Assert.Equal("""{"x":1}""", bound["o"]!.ToJsonString());
        Assert.Equal("""[1,"two"]""", bound["a"]!.ToJsonString());
        Assert.Equal("Ada", bound["s"]!.GetValue<string>());
    }

    [Fact]
    public void Embedded_values_are_stringified_invariantly()
    {
        var bound = Bind("""{"text":"${count} items, ratio ${ratio}, on: ${flag}"}""",
            """{"count":3,"ratio":0.5,"flag":false}""");

        Assert.Equal("3 items, ratio 0.5, on: false", bound["text"]!.GetValue<string>());
    }

    [Fact]
    public void Array_indexes_and_root_are_resolved()
    {
        var bound = Bind("""{"first":"${items[1].name}","root":"${$root.title}"}""",
            """{"title":"T","items":[{"name":"a"},{"name":"b"}]}""");

        Assert.Equal("b", bound["first"]!.GetValue<string>());
        Assert.Equal("T", bound["root"]!.GetValue<string>());
    }

    [Fact]
    public void Data_on_an_array_element_repeats_it_per_item_with_root_and_index()
    {
        var bound = Bind(
            """{"rows":["header",{"$data":"${people}","text":"${$index}: ${name} of ${$root.team}"},"footer"]}""",
            """{"team":"Support","people":[{"name":"Ada"},{"name":"Grace"}]}""");

        Assert.Equal(
            """["header",{"text":"0: Ada of Support"},{"text":"1: Grace of Support"},"footer"]""",
            bound["rows"]!.ToJsonString());
    }

    [Fact]
    public void Data_over_an_empty_list_produces_no_elements()
    {
        var template = """{"rows":[{"$data":"${people}","text":"${name}"}]}""";

        Assert.Equal("[]", Bind(template, """{"people":[]}""")["rows"]!.ToJsonString());
    }

    [Fact]
    public void Data_on_an_object_moves_the_scope()
    {
        var bound = Bind("""{"who":{"$data":"${person}","text":"${name}"}}""", """{"person":{"name":"Ada"}}""");

        Assert.Equal("""{"text":"Ada"}""", bound["who"]!.ToJsonString());
    }

    /// <summary>$when conditions, their data, and whether the element stays (the official engine agrees: OfficialTemplatingTests).</summary>
    public static TheoryData<string, string, bool> Conditions => new()
    {
        { "${flag}", """{"flag":true}""", true },
        { "${flag}", """{"flag":false}""", false },
        { "${flag}", "{}", false },
        { "${flag}", """{"flag":null}""", false },
        { "${!flag}", """{"flag":false}""", true },
        { "${!flag}", """{"flag":true}""", false },
        { "${!flag}", "{}", true },
        { "${exists(x)}", """{"x":""}""", true },
        { "${exists(x)}", """{"x":null}""", false },
        { "${exists(a.b)}", """{"a":{"b":0}}""", true },
        { "${!exists(x)}", "{}", true },
        { "${count(list) > 0}", """{"list":[]}""", false },
        { "${count(list) > 0}", """{"list":[1]}""", true },
        { "${count(list) > 0}", "{}", false },
        { "${!(count(list) > 0)}", "{}", true },
        { "${count(text) >= 2}", """{"text":"ab"}""", true },
        { "${exists(list) && count(list) > 0}", "{}", false },
        { "${exists(list) && count(list) > 0}", """{"list":[1]}""", true },
        { "${n == 0 || flag}", """{"n":0,"flag":false}""", true },
        { "${n != 0 || flag}", """{"n":0,"flag":false}""", false },
        { "${state == 'approved'}", """{"state":"approved"}""", true },
        { "${state != 'approved'}", """{"state":"denied"}""", true },
        { "${n < 2.5 && n > 1}", """{"n":2}""", true },
        { "${N > 1}", """{"n":2}""", true },
        { "${missing > 1}", "{}", false },
        { "${exists(list[5])}", """{"list":[1]}""", false },
        { "${exists(list[0])}", """{"list":[1]}""", true },
        { "${exists(nope[0])}", "{}", false },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void When_keeps_or_drops_an_array_element(string condition, string data, bool kept)
    {
        var bound = Bind($$$"""{"items":[{"$when":"{{{condition}}}","text":"shown"}]}""", data);

        Assert.Equal(kept ? 1 : 0, bound["items"]!.AsArray().Count);
    }

    [Fact]
    public void When_is_evaluated_per_repeated_item()
    {
        var bound = Bind("""{"rows":[{"$data":"${rows}","$when":"${show}","text":"${name}"}]}""",
            """{"rows":[{"name":"a","show":true},{"name":"b","show":false},{"name":"c","show":true}]}""");

        Assert.Equal("""[{"text":"a"},{"text":"c"}]""", bound["rows"]!.ToJsonString());
    }

    [Fact]
    public void User_text_containing_an_expression_is_not_expanded_again()
    {
        var bound = Bind("""{"whole":"${reason}","embedded":"Reason: ${reason}","secret":"${$root.secret}"}""",
            """{"reason":"${secret} and ${$root.secret}","secret":"S3CRET"}""");

        Assert.Equal("${secret} and ${$root.secret}", bound["whole"]!.GetValue<string>());
        Assert.Equal("Reason: ${secret} and ${$root.secret}", bound["embedded"]!.GetValue<string>());
        Assert.DoesNotContain("S3CRET", bound["embedded"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void User_text_cannot_inject_json_structure()
    {
        var hostile = "\"}],\"actions\":[{\"type\":\"Action.OpenUrl\",\"url\":\"https://evil.example\"}],\"x\":[{\"a\":\"</script>";
        var data = new JsonObject { ["name"] = hostile };

        var bound = AdaptiveCardTemplateBinder.Bind(
            JsonNode.Parse("""{"body":[{"type":"TextBlock","text":"Hi ${name}"}]}""")!, data)!.AsObject();

        Assert.Single(bound);
        Assert.Equal($"Hi {hostile}", bound["body"]![0]!["text"]!.GetValue<string>());
        var roundTripped = JsonNode.Parse(bound.ToJsonString())!.AsObject();
        Assert.False(roundTripped.ContainsKey("actions"));
        Assert.Equal($"Hi {hostile}", roundTripped["body"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Bound_objects_are_not_scanned_for_template_keywords()
    {
        var bound = Bind("""{"item":"${thing}"}""", """{"thing":{"$when":"${nothing}","text":"${secret}"}}""");

        Assert.Equal("""{"$when":"${nothing}","text":"${secret}"}""", bound["item"]!.ToJsonString());
    }

    [Fact]
    public void Missing_values_become_empty_text_never_the_raw_expression()
    {
        var bound = Bind("""{"whole":"${nope}","embedded":"a ${nope.deeper} b","index":"${list[0].name}"}""", """{"list":[{"id":1}]}""");

        Assert.Equal("", bound["whole"]!.GetValue<string>());
        Assert.Equal("a  b", bound["embedded"]!.GetValue<string>());
        Assert.Equal("", bound["index"]!.GetValue<string>());
    }

    [Fact]
    public void Null_data_binds_every_expression_as_missing()
    {
        var bound = AdaptiveCardTemplateBinder.Bind(JsonNode.Parse("""{"t":"x ${a}","k":[{"$when":"${exists(a)}"}]}""")!, null)!;

        Assert.Equal("""{"t":"x ","k":[]}""", bound.ToJsonString());
    }

    [Fact]
    public void Literal_text_and_other_json_values_pass_through_unchanged()
    {
        var bound = Bind("""{"s":"costs $5 {not an expression}","open":"${unclosed","n":1.5,"b":false,"z":null}""", "{}");

        Assert.Equal("""{"s":"costs $5 {not an expression}","open":"${unclosed","n":1.5,"b":false,"z":null}""", bound.ToJsonString());
    }

    [Fact]
    public void The_template_is_left_untouched()
    {
        var template = JsonNode.Parse("""{"rows":[{"$data":"${rows}","text":"${name}"}],"n":1}""")!;
        var before = template.ToJsonString();

        AdaptiveCardTemplateBinder.Bind(template, JsonNode.Parse("""{"rows":[{"name":"a"}]}"""));
        AdaptiveCardTemplateBinder.Bind(template, JsonNode.Parse("""{"rows":[{"name":"b"}]}"""));

        Assert.Equal(before, template.ToJsonString());
    }

    /// <summary>Forms our binder refuses because the official engine reads them otherwise: template, data, why.</summary>
    public static TheoryData<string, string, string> Refused => new()
    {
        { """{"a":[{"$when":"${list}","t":1}]}""", """{"list":[1]}""", "a bare list as a condition: the official engine drops the element" },
        { """{"a":[{"$when":"${list}","t":1}]}""", """{"list":[]}""", "a bare list as a condition" },
        { """{"a":[{"$when":"${text}","t":1}]}""", """{"text":"yes"}""", "a text as a condition" },
        { """{"a":[{"$when":"${n}","t":1}]}""", """{"n":1}""", "a number as a condition" },
        { """{"a":[{"$when":"${!text}","t":1}]}""", """{"text":""}""", "! of a text: the official engine reads any text as true" },
        { """{"a":[{"$when":"${list && true}","t":1}]}""", """{"list":[]}""", "&& of a list: the official engine reads [] as true" },
        { """{"a":[{"$when":"${n > 'a'}","t":1}]}""", """{"n":1}""", "a number compared with a text" },
        { """{"a":[{"$when":"${1 < 2 < 3}","t":1}]}""", "{}", "chained comparisons" },
        { """{"a":[{"$when":true,"t":1}]}""", "{}", "a literal condition: the official engine drops the element" },
        { """{"a":[{"$when":"x ${flag}","t":1}]}""", """{"flag":true}""", "a condition that is text around an expression" },
        { """{"prop":{"$when":"${flag}","x":1}}""", """{"flag":false}""", "$when outside an array: the official engine leaves null" },
        { """{"$when":"${flag}","x":1}""", """{"flag":true}""", "$when on the card itself" },
        { """{"rows":[{"$data":"${people}","t":"${name}"}]}""", "{}", "$data over nothing: the official engine repeats once over its placeholder" },
        { """{"rows":[{"$data":"${name}","t":"x"}]}""", """{"name":"Ada"}""", "$data over a text" },
        { """{"who":{"$data":"${people}","t":1}}""", """{"people":[{"n":1},{"n":2}]}""", "$data over a list outside an array: the official engine makes a list" },
        { """{"rows":[{"$data":[{"n":1}],"t":1}]}""", "{}", "$data written as a literal" },
        { """{"rows":[null,1]}""", "{}", "null in an array: the official engine drops it" },
        { """{"rows":[[1],2]}""", "{}", "a list in a list: the official engine flattens it" },
        { """{"rows":["${list}"]}""", """{"list":[1,2]}""", "an element that gives a list: the official engine flattens it" },
        { """{"t":"a ${list}"}""", """{"list":[1,2]}""", "a list in text: the official engine writes 1,2" },
        { """{"t":"a ${obj}"}""", """{"obj":{"x":1}}""", "an object in text" },
        { """{"t":"a\\b ${x}"}""", """{"x":1}""", "a backslash beside an expression: the official engine reads escapes" },
        { """{"t":"`${x}`"}""", """{"x":1}""", "a backtick beside an expression" },
        { """{"t":"${count(x)}"}""", "{}", "count of nothing in text: the official engine shows its placeholder's length" },
        { """{"t":"${count(n)}"}""", """{"n":3}""", "count of a number" },
        { """{"t":"${list[5]}"}""", """{"list":[]}""", "an index past the end of a list: the official engine fails" },
        { """{"t":"${nope[0]}"}""", "{}", "an index into nothing: the official engine fails" },
        { """{"t":"${text[0]}"}""", """{"text":"abc"}""", "an index into a text: the official engine reads a character" },
        { """{"t":"${null}"}""", "{}", "null" },
        { """{"t":"${$host.x}"}""", "{}", "$host" },
        { """{"t":"${'a\\'b'}"}""", "{}", "a text with a backslash" },
        { """{"$root":1}""", "{}", "a reserved name as a property: the official engine drops it" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Forms_the_official_engine_reads_differently_are_refused(string template, string data, string why)
    {
        var refused = Assert.Throws<FormatException>(() => Bind(template, data));

        Assert.StartsWith("A card template", refused.Message, StringComparison.Ordinal);
        Assert.NotEmpty(why);
    }

    [Theory]
    [InlineData("${a + b}")]
    [InlineData("${if(a, b, c)}")]
    [InlineData("${}")]
    [InlineData("${.a}")]
    public void Unsupported_expressions_are_template_bugs(string expression)
    {
        Assert.Throws<FormatException>(() => Bind($$"""{"t":"{{expression}}"}""", """{"a":1}"""));
    }

    [Fact]
    public void Index_outside_a_repeated_element_is_a_template_bug()
    {
        Assert.Throws<FormatException>(() => Bind("""{"t":"${$index}"}""", "{}"));
    }

    private static JsonObject Bind(string template, string data) =>
        AdaptiveCardTemplateBinder.Bind(JsonNode.Parse(template)!, JsonNode.Parse(data))!.AsObject();
}
