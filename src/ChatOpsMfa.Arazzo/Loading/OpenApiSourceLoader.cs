using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Loads the OpenAPI source descriptions with Microsoft.OpenApi. Relative URLs resolve against the
/// Arazzo document's own folder. Remote URLs are not fetched: the runner only uses files shipped with it.
/// </summary>
internal static class OpenApiSourceLoader
{
    public static async Task<Dictionary<string, OpenApiDocument>> LoadAsync(
        IReadOnlyList<ArazzoSourceDescription> sources, string documentPath, DiagnosticCollector diagnostics, CancellationToken cancellationToken)
    {
        var loaded = new Dictionary<string, OpenApiDocument>(StringComparer.Ordinal);
        var baseFolder = Path.GetDirectoryName(Path.GetFullPath(documentPath)) ?? ".";
        foreach (var source in sources)
        {
            var urlPointer = source.Pointer + "/url";
            if (source.Type != "openapi")
            {
                diagnostics.Error(source.Pointer + "/type", $"source description '{source.Name}' has type '{source.Type}'; only openapi sources are supported");
                continue;
            }

            if (ToLocalPath(source.Url, baseFolder) is not { } path)
            {
                diagnostics.Error(urlPointer, $"source description '{source.Name}' is remote; only local files are loaded (ship a copy beside the workflow)");
                continue;
            }

            if (!File.Exists(path))
            {
                diagnostics.Error(urlPointer, $"source description '{source.Name}' not found: {path}");
                continue;
            }

            var document = await ReadAsync(path, source, urlPointer, diagnostics, cancellationToken);
            if (document is not null)
            {
                loaded[source.Name] = document;
            }
        }

        return loaded;
    }

    private static async Task<OpenApiDocument?> ReadAsync(
        string path, ArazzoSourceDescription source, string urlPointer, DiagnosticCollector diagnostics, CancellationToken cancellationToken)
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        var format = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "yaml";
        await using var stream = File.OpenRead(path);
        var result = await OpenApiDocument.LoadAsync(stream, format, settings, cancellationToken);
        var errors = result.Diagnostic?.Errors ?? [];
        if (result.Document is null)
        {
            var reason = errors.Count > 0 ? errors[0].Message : "unreadable";
            diagnostics.Error(urlPointer, $"source description '{source.Name}' is not a readable OpenAPI description: {reason}");
            return null;
        }

        if (errors.Count > 0)
        {
            diagnostics.Warning(urlPointer, $"OpenAPI description '{source.Name}' has {errors.Count} reader error(s); the first: {errors[0].Message}");
        }

        return result.Document;
    }

    private static string? ToLocalPath(string url, string baseFolder)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.Length > 1)
        {
            return absolute.IsFile ? absolute.LocalPath : null;
        }

        return Path.GetFullPath(Path.Combine(baseFolder, Uri.UnescapeDataString(url)));
    }
}
