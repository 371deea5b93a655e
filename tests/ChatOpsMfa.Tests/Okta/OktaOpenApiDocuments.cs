using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Microsoft.OpenApi.YamlReader;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>Loads Okta's official description and the shipped subset once per test run (the official one is 3.4 MB).</summary>
internal static class OktaOpenApiDocuments
{
    private static readonly Lazy<Task<OpenApiDocument>> OfficialDocument = new(() => LoadAsync(OktaTestFiles.OfficialOpenApi));
    private static readonly Lazy<Task<OpenApiDocument>> ShippedDocument = new(() => LoadAsync(OktaTestFiles.ShippedOpenApi));

    public static Task<OpenApiDocument> Official => OfficialDocument.Value;

    public static Task<OpenApiDocument> Shipped => ShippedDocument.Value;

    public static async Task<OpenApiDocument> LoadAsync(string path)
    {
        // Okta's own file breaks two of the library's style rules (discriminator properties not listed as required,
        // one optional path parameter); those are lint findings, not reading errors, so only reading errors count.
        var settings = new OpenApiReaderSettings { RuleSet = ValidationRuleSet.GetEmptyRuleSet() };
        settings.AddYamlReader();
        await using var stream = File.OpenRead(path);
        var result = await OpenApiDocument.LoadAsync(stream, "yaml", settings);
        var errors = result.Diagnostic?.Errors ?? [];
        if (result.Document is null || errors.Count > 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(path)} did not load: " + string.Join("; ", errors.Select(e => e.ToString())));
        }

        return result.Document;
    }

    /// <summary>Every (method, path template, operation) in a document.</summary>
    public static IEnumerable<(HttpMethod Method, string Path, IOpenApiPathItem PathItem, OpenApiOperation Operation)> Operations(OpenApiDocument document) =>
        document.Paths.SelectMany(path => (path.Value.Operations ?? []).Select(op => (op.Key, path.Key, path.Value, op.Value)));
}
