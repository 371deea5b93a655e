using ChatOpsMfa.Telemetry;
using YamlDotNet.RepresentationModel;

namespace ChatOpsMfa.Tests.Telemetry;

/// <summary>The Okta operation names on /metrics are Okta's own operationIds, matched by method and path template.</summary>
public partial class OktaOperationsTests
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\{[^}]*\}")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();

    [Fact]
    public void Every_known_operation_is_that_method_and_path_in_Oktas_OpenAPI()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(RepoPaths.Specs, "okta", "management-minimal.yaml")))
        {
            yaml.Load(reader);
        }

        // Placeholder names differ between Okta's descriptions ({id} or {userId}); the shape of the path is what counts.
        static string Shape(string template) => Placeholder().Replace(template, "{}");
        var paths = ((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["paths"]).Children
            .ToDictionary(p => Shape(((YamlScalarNode)p.Key).Value!), p => (YamlMappingNode)p.Value);
        foreach (var (method, template, operationId) in OktaOperations.Known.Where(k => k.Template.StartsWith("/api/", StringComparison.Ordinal)))
        {
            Assert.True(paths.TryGetValue(Shape(template), out var pathNode), $"{template} is not in Okta's OpenAPI");
            var operation = (YamlMappingNode)pathNode[method.ToLowerInvariant()];
            Assert.Equal(operationId, ((YamlScalarNode)operation["operationId"]).Value);
        }
    }

    [Theory]
    [InlineData("POST", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/lifecycle/reset_factors", "resetFactors")]
    [InlineData("POST", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/factors", "enrollFactor")]
    [InlineData("GET", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/factors", "listFactors")]
    [InlineData("DELETE", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/factors/ostf1fmaMGJLMNGNLIVG", "unenrollFactor")]
    [InlineData("GET", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/factors/opf3hkfocI4JTLAju0g4/transactions/v2mst.GldKV5VxTrifyeZmWSQguA", "getFactorTransactionStatus")]
    [InlineData("GET", "/api/v1/users/alice@example.com", "getUser")]
    [InlineData("GET", "/api/v1/logs", "listLogEvents")]
    [InlineData("PUT", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/factors", "other")]
    [InlineData("GET", "/api/v1/users/00ub0oNGTSWTBKOLGLNR/unknown/thing", "other")]
    [InlineData("GET", "/api/v1/users//factors", "other")]
    public void The_operation_comes_from_method_and_path_and_never_echoes_an_id(string method, string path, string expected)
    {
        Assert.Equal(expected, OktaOperations.Resolve(new HttpMethod(method), path));
    }
}
