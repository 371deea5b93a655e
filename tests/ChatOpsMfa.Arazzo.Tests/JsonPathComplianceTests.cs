using System.Text.Json.Nodes;
using ChatOpsMfa.Arazzo.JsonPath;

namespace ChatOpsMfa.Arazzo.Tests;

/// <summary>The official RFC 9535 compliance suite (tests/specs/jsonpath/cts.json), every case.</summary>
public class JsonPathComplianceTests
{
    private static readonly JsonArray Cases = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(ChatOpsMfa.Tests.RepoPaths.Specs, "jsonpath", "cts.json")))!["tests"]!;

    public static TheoryData<int, string> All() => new(Cases.Select((c, i) => (i, c!["name"]!.GetValue<string>())));

    [Theory]
    [MemberData(nameof(All))]
    public void Compliance_case_passes(int index, string name)
    {
        var test = Cases[index]!;
        var selector = test["selector"]!.GetValue<string>();

        if (test["invalid_selector"]?.GetValue<bool>() == true)
        {
            Assert.False(JsonPathQuery.TryParse(selector, out _, out _), $"{name}: '{selector}' must be refused");
            return;
        }

        Assert.True(JsonPathQuery.TryParse(selector, out var query, out var error), $"{name}: {error}");
        var selected = query.Select(test["document"]);
        var actual = new JsonArray(selected.Select(n => n.Value?.DeepClone()).ToArray());
        var allowed = test["result"] is { } single ? [single] : test["results"]!.AsArray().ToList();
        Assert.True(allowed.Any(expected => JsonNode.DeepEquals(expected, actual)), $"{name}: '{selector}' selected {actual.ToJsonString()}");
        var paths = test["result_paths"] is { } singlePaths ? [singlePaths] : test["results_paths"]?.AsArray().ToList() ?? [];
        var actualPaths = new JsonArray(selected.Select(n => (JsonNode)JsonValue.Create(n.Path)).ToArray());
        Assert.True(paths.Count == 0 || paths.Any(p => JsonNode.DeepEquals(p, actualPaths)), $"{name}: paths {actualPaths.ToJsonString()}");
    }
}
