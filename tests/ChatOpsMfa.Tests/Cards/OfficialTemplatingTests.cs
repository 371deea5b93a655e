using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Tests.Cards;

/// <summary>
/// Our card templates must mean the same in the official Adaptive Cards templating engine as in our binder, so
/// a template edit tried in the Designer (or a move to the official SDK) cannot silently show other content or
/// other buttons. Every template is bound with the sample data by both and the results compared.
/// </summary>
public sealed class OfficialTemplatingTests
{
    // bind.js writes a missing value as this marker (the official engine would write the expression text itself,
    // "${path}"); see NormaliseMissing.
    private const string MissingMarker = "\u2063missing\u2063";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Every_template_in_cards_has_sample_data()
    {
        Assert.Equal(TemplateNames(), CardSamples.TemplateCases.Values.Select(c => c.Template).Distinct().Order());
    }

    [Fact]
    public async Task Every_template_binds_to_the_same_card_in_the_official_engine()
    {
        // The samples, and each template with no data at all (every optional part missing at once).
        var cases = CardSamples.TemplateCases.Select(c => (Name: c.Key, Template: Template(c.Value.Template), Data: (JsonNode?)c.Value.Data))
            .Concat(TemplateNames().Select(name => (Name: name + ", no data", Template: Template(name), Data: (JsonNode?)new JsonObject())))
            .ToList();
        Assert.All(cases, c => Assert.DoesNotContain("null", JsonValuesOf(c.Data)));

        await AssertSameAsync(cases, Ct);
    }

    [Fact]
    public async Task Every_condition_and_expression_our_binder_accepts_means_the_same_in_the_official_engine()
    {
        var conditions = AdaptiveCardTemplateBinderTests.Conditions.Select(row =>
        {
            var (condition, data, _) = ((string, string, bool))row.Data;
            return (Name: $"$when {condition} over {data}", Template: JsonNode.Parse($$"""{"items":[{"$when":"{{condition}}","text":"shown"}]}""")!, Data: JsonNode.Parse(data));
        });
        var expressions = new (string Template, string Data)[]
        {
            ("""{"text":"For ${target.displayName} (${target.login})"}""", """{"target":{"displayName":"Ada","login":"ada@example.com"}}"""),
            ("""{"n":"${count}","b":"${flag}","o":"${obj}","a":"${list}","s":"${name}"}""", """{"count":42,"flag":true,"obj":{"x":1},"list":[1,"two"],"name":"Ada"}"""),
            ("""{"text":"${count} items, ratio ${ratio}, on: ${flag}"}""", """{"count":3,"ratio":0.5,"flag":false}"""),
            ("""{"first":"${items[1].name}","root":"${$root.title}","Case":"${TITLE}"}""", """{"title":"T","items":[{"name":"a"},{"name":"b"}]}"""),
            ("""{"rows":["header",{"$data":"${people}","text":"${$index}: ${name} of ${$root.team}"},"footer"]}""", """{"team":"Support","people":[{"name":"Ada"},{"name":"Grace"}]}"""),
            ("""{"who":{"$data":"${person}","text":"${name}"}}""", """{"person":{"name":"Ada"}}"""),
            ("""{"rows":[{"$data":"${rows}","$when":"${show}","text":"${name}"}]}""", """{"rows":[{"name":"a","show":true},{"name":"b","show":false}]}"""),
            ("""{"whole":"${reason}","embedded":"Reason: ${reason}"}""", """{"reason":"${secret} and ${$root.secret} \"}]","secret":"S3CRET"}"""),
            ("""{"whole":"${nope}","embedded":"a ${nope.deeper} b","index":"${list[0].name}","n":"${count(list)}"}""", """{"list":[{"id":1}]}"""),
            ("""{"s":"costs $5 {not an expression}","open":"${unclosed","n":1.5,"b":false,"z":null,"q":"${'}' == '}'}"}""", "{}"),
        }.Select(e => (Name: e.Template, Template: JsonNode.Parse(e.Template)!, Data: JsonNode.Parse(e.Data)));

        await AssertSameAsync([.. conditions, .. expressions], Ct);
    }

    [Fact]
    public async Task The_official_engine_drops_an_element_whose_condition_is_a_bare_list()
    {
        // Why our binder refuses "$when": "${actions}": the official engine keeps an element only for a true
        // boolean, so the approval card's buttons would vanish there while ours showed them.
        var template = JsonNode.Parse("""{"body":[{"$when":"${actions}","type":"ActionSet"},{"$when":"${count(actions) > 0}","type":"ActionSet"}]}""")!;
        var data = JsonNode.Parse("""{"actions":[{"verb":"approve"}]}""");

        var official = await OfficialTemplatingEngine.ExpandAsync([(template, data)], Ct);

        Assert.Equal("""{"body":[{"type":"ActionSet"}]}""", official[0]!.ToJsonString());
        Assert.Throws<FormatException>(() => AdaptiveCardTemplateBinder.Bind(template, data));
    }

    private static async Task AssertSameAsync(IReadOnlyList<(string Name, JsonNode Template, JsonNode? Data)> cases, CancellationToken ct)
    {
        var official = await OfficialTemplatingEngine.ExpandAsync(cases.Select(c => (c.Template, c.Data)), ct);

        var differences = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var ours = AdaptiveCardTemplateBinder.Bind(cases[i].Template, cases[i].Data);
            var theirs = NormaliseMissing(official[i]);
            if (!JsonNode.DeepEquals(ours, theirs))
            {
                differences.Add($"{cases[i].Name}:\n  ours:     {ours?.ToJsonString()}\n  official: {theirs?.ToJsonString()}");
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    private static IEnumerable<string> TemplateNames() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "cards"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order();

    // The kinds of every value in the data: the official engine fails on a JSON null shown in text, which our data
    // builders never write (they leave an absent value out), so the samples must not have one either.
    private static IEnumerable<string> JsonValuesOf(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => JsonValuesOf(p.Value)),
        JsonArray array => array.SelectMany(JsonValuesOf),
        null => ["null"],
        _ => [node.GetValueKind().ToString()],
    };

    private static JsonNode Template(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "cards", name + ".json")))!;

    /// <summary>
    /// The one difference we keep on purpose: a value the data does not have binds as "" in ours (a person never
    /// sees template syntax), where the official engine writes the expression text (<c>${target.login}</c>).
    /// bind.js asks the engine for a marker instead, because data may hold "${...}" text itself, and the marker
    /// becomes "" here. Nothing else is normalised: key order is not compared by DeepEquals, and the values must
    /// be equal with their JSON types.
    /// </summary>
    private static JsonNode? NormaliseMissing(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, NormaliseMissing(p.Value)))),
        JsonArray array => new JsonArray(array.Select(NormaliseMissing).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(text.Replace(MissingMarker, "", StringComparison.Ordinal)),
        _ => node?.DeepClone(),
    };
}
