using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOpsMfa.Tests.Hosting;

public partial class ConfigurationDocumentationTests
{
    [Fact]
    public void Readme_configuration_table_lists_exactly_the_keys_of_appsettings_example()
    {
        var example = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "appsettings.example.json")))!;
        var exampleKeys = Flatten(example, "").Order(StringComparer.Ordinal).ToArray();
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var documented = TableKey().Matches(readme).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(exampleKeys, documented);
    }

    [Fact]
    public void The_example_holds_no_real_looking_secret()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "appsettings.example.json"));

        Assert.DoesNotMatch(OktaTokenShape(), text);
    }

    /// <summary>Configuration keys as ASP.NET Core names them (a:b:c); an array is one key.</summary>
    private static IEnumerable<string> Flatten(JsonNode node, string prefix) => node switch
    {
        JsonObject obj => obj.SelectMany(p => Flatten(p.Value!, prefix.Length == 0 ? p.Key : $"{prefix}:{p.Key}")),
        _ => [prefix],
    };

    [GeneratedRegex(@"^\| `([A-Za-z0-9:]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableKey();

    [GeneratedRegex(@"\b00[A-Za-z0-9_-]{40}\b")]
    private static partial Regex OktaTokenShape();
}
