using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Loads an Arazzo 1.0 document (YAML or JSON): parse, validate against the official schema, load the
/// OpenAPI source descriptions, then run the semantic checks. Problems come back as diagnostics.
/// </summary>
public static class ArazzoDocumentLoader
{
    public static Task<ArazzoLoadResult> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        LoadAsync(path, new ArazzoLoadOptions(), cancellationToken);

    public static Task<ArazzoLoadResult> LoadAsync(string path, ArazzoLoadOptions options, CancellationToken cancellationToken = default) =>
        LoadAsync(path, options, [Path.GetFullPath(path)], cancellationToken);

    /// <summary><paramref name="chain"/>: the documents being loaded, outermost first, so arazzo sources cannot loop.</summary>
    internal static async Task<ArazzoLoadResult> LoadAsync(string path, ArazzoLoadOptions options, IReadOnlyList<string> chain, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            var (read, tooLarge) = await BoundedFile.ReadAsync(path, options.MaxDocumentBytes, cancellationToken);
            if (read is null)
            {
                return new ArazzoLoadResult(null, [new ArazzoDiagnostic(ArazzoSeverity.Error, string.Empty, $"the document {tooLarge}")]);
            }

            text = read;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new ArazzoLoadResult(null, [new ArazzoDiagnostic(ArazzoSeverity.Error, string.Empty, $"cannot read the document: {exception.Message}")]);
        }

        ParsedSource parsed;
        try
        {
            parsed = YamlJsonReader.Parse(text);
        }
        catch (YamlException exception)
        {
            var location = $" ({exception.Start.Line}:{exception.Start.Column})";
            return new ArazzoLoadResult(null, [new ArazzoDiagnostic(ArazzoSeverity.Error, location, $"not valid YAML or JSON: {exception.Message}")]);
        }

        var diagnostics = new DiagnosticCollector(parsed);
        foreach (var (pointer, message) in ArazzoSchemaValidator.Validate(parsed.Root))
        {
            diagnostics.Error(pointer, message);
        }

        if (diagnostics.HasErrors || parsed.Root is not JsonObject root)
        {
            return new ArazzoLoadResult(null, diagnostics.Diagnostics);
        }

        var (sources, workflows) = new ArazzoModelBuilder(root, diagnostics).Build();
        var loaded = await OpenApiSourceLoader.LoadAsync(sources, path, options, chain, diagnostics, cancellationToken);
        var sourcesComplete = sources.All(s => loaded.OpenApi.ContainsKey(s.Name) || loaded.Arazzo.ContainsKey(s.Name));
        var checker = new SemanticChecker(workflows, loaded, sourcesComplete, diagnostics);
        checker.Check();

        var version = root["arazzo"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : string.Empty;
        var document = new ArazzoDocument(version, Path.GetFullPath(path), sources, workflows, checker.Operations, loaded.Arazzo);
        return new ArazzoLoadResult(document, diagnostics.Diagnostics);
    }
}
