using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>Where the official Okta reference files (tests/specs) and the shipped files live.</summary>
internal static class OktaTestFiles
{
    public static string RepositoryRoot => RepoPaths.Root;

    public static string SpecsDirectory { get; } = Path.Combine(RepoPaths.Specs, "okta");

    public static string OfficialOpenApi => Path.Combine(SpecsDirectory, "management-minimal.yaml");

    public static string ErrorCodeCatalogue => Path.Combine(SpecsDirectory, "reference", "okta-developer-docs.error-codes.json");

    public static string ShippedOpenApi => Path.Combine(RepositoryRoot, "src", "ChatOpsMfa", "Okta", "openapi", "okta-openapi-original.yml");

    public static string ShippedWorkflow => Path.Combine(RepositoryRoot, "src", "ChatOpsMfa", "Okta", "workflows", "okta-reset-and-reenroll-factor.arazzo.yaml");

    public static string SeedWorkflow => Path.Combine(RepoPaths.Specs, "seed", "okta-reset-and-reenroll-factor.arazzo.yaml");

    /// <summary>An example body from specs/okta/fixtures (e.g. "spec-examples/ErrorResourceNotFound.json").</summary>
    public static JsonNode Fixture(string relativePath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(SpecsDirectory, "fixtures", relativePath)))
        ?? throw new InvalidOperationException($"Fixture {relativePath} is empty.");
}
