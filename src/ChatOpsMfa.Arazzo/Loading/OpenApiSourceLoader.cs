using System.Text;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Loads the OpenAPI source descriptions with Microsoft.OpenApi. Relative URLs resolve against the Arazzo
/// document's own folder, and only files inside the source root are read (<see cref="SourcePathGuard"/>), no
/// larger than <see cref="ArazzoLoadOptions.MaxSourceBytes"/>. Remote URLs are fetched only from allowed hosts
/// (<see cref="RemoteSourceFetcher"/>).
/// </summary>
internal static class OpenApiSourceLoader
{
    /// <summary>Arazzo sources nest (a source's own sources); deeper chains are refused.</summary>
    private const int MaxArazzoSourceDepth = 8;

    public static async Task<SourceDocuments> LoadAsync(
        IReadOnlyList<ArazzoSourceDescription> sources, string documentPath, ArazzoLoadOptions options, IReadOnlyList<string> chain,
        DiagnosticCollector diagnostics, CancellationToken cancellationToken)
    {
        var loaded = new Dictionary<string, OpenApiDocument>(StringComparer.Ordinal);
        var arazzo = new Dictionary<string, ArazzoDocument>(StringComparer.Ordinal);
        var documentFolder = Path.GetDirectoryName(Path.GetFullPath(documentPath)) ?? ".";
        var root = Path.GetFullPath(options.SourceRoot ?? documentFolder);
        foreach (var source in sources)
        {
            var urlPointer = source.Pointer + "/url";
            if (SourcePathGuard.IsRemote(source.Url))
            {
                if (source.Type == "arazzo")
                {
                    diagnostics.Error(urlPointer, $"source description '{source.Name}' is a remote arazzo document; arazzo sources are loaded from local files only");
                    continue;
                }

                var (remoteText, remoteProblem) = await RemoteSourceFetcher.FetchAsync(new Uri(source.Url), options, cancellationToken);
                if (remoteText is null)
                {
                    diagnostics.Error(urlPointer, $"source description '{source.Name}' {remoteProblem}");
                    continue;
                }

                var format = remoteText.TrimStart().StartsWith('{') ? "json" : "yaml";
                if (await ParseAsync(remoteText, format, source, urlPointer, diagnostics, cancellationToken) is { } remote)
                {
                    loaded[source.Name] = remote;
                }

                continue;
            }

            if (SourcePathGuard.Resolve(source.Url, documentFolder, root) is not { } path)
            {
                diagnostics.Error(urlPointer, $"source description '{source.Name}' ({source.Url}) is outside the folder {root}; only files inside it are read. "
                    + "To read it, name a folder holding both the document and its sources with --source-root DIR (ArazzoLoadOptions.SourceRoot)"
                    + (SourcePathGuard.CommonFolder(source.Url, documentFolder) is { } common ? $", here --source-root {common}" : string.Empty));
                continue;
            }

            if (!File.Exists(path))
            {
                diagnostics.Error(urlPointer, $"source description '{source.Name}' not found: {path}");
                continue;
            }

            if (source.Type == "arazzo")
            {
                if (await ReadArazzoAsync(path, source, urlPointer, options with { SourceRoot = root }, chain, diagnostics, cancellationToken) is { } nested)
                {
                    arazzo[source.Name] = nested;
                }

                continue;
            }

            var document = await ReadAsync(path, source, urlPointer, options, diagnostics, cancellationToken);
            if (document is not null)
            {
                loaded[source.Name] = document;
            }
        }

        return new SourceDocuments(loaded, arazzo);
    }

    private static async Task<ArazzoDocument?> ReadArazzoAsync(
        string path, ArazzoSourceDescription source, string urlPointer, ArazzoLoadOptions options, IReadOnlyList<string> chain,
        DiagnosticCollector diagnostics, CancellationToken cancellationToken)
    {
        if (chain.Contains(path, StringComparer.Ordinal) || chain.Count >= MaxArazzoSourceDepth)
        {
            diagnostics.Error(urlPointer, $"source description '{source.Name}' leads back to a document already being loaded (or nests more than {MaxArazzoSourceDepth} deep)");
            return null;
        }

        var result = await ArazzoDocumentLoader.LoadAsync(path, options, [.. chain, path], cancellationToken);
        if (result.Document is null)
        {
            var first = result.Errors.FirstOrDefault();
            diagnostics.Error(urlPointer, $"source description '{source.Name}' is not a valid Arazzo document: {first?.Location}: {first?.Message}");
            return null;
        }

        return result.Document;
    }

    private static async Task<OpenApiDocument?> ReadAsync(
        string path, ArazzoSourceDescription source, string urlPointer, ArazzoLoadOptions options, DiagnosticCollector diagnostics, CancellationToken cancellationToken)
    {
        var (text, tooLarge) = await BoundedFile.ReadAsync(path, options.MaxSourceBytes, cancellationToken);
        if (text is null)
        {
            diagnostics.Error(urlPointer, $"source description '{source.Name}' {tooLarge}");
            return null;
        }

        var format = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "json" : "yaml";
        return await ParseAsync(text, format, source, urlPointer, diagnostics, cancellationToken);
    }

    private static async Task<OpenApiDocument?> ParseAsync(
        string text, string format, ArazzoSourceDescription source, string urlPointer, DiagnosticCollector diagnostics, CancellationToken cancellationToken)
    {
        // External $refs would read files (or URLs) past the guard: never follow them.
        var settings = new OpenApiReaderSettings { LoadExternalRefs = false };
        settings.AddYamlReader();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        ReadResult result;
        try
        {
            result = await OpenApiDocument.LoadAsync(stream, format, settings, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The reader throws on some malformed input (its alias-expansion cap among them); report, never crash.
            diagnostics.Error(urlPointer, $"source description '{source.Name}' is not a readable OpenAPI description: {exception.Message}");
            return null;
        }

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
}
