using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Finds the OpenAPI operation of a step: by operationId (searched across the OpenAPI sources, or in one
/// named source with <c>$sourceDescriptions.name.operationId</c>), or by operationPath
/// (<c>{$sourceDescriptions.name.url}#/paths/~1pets/get</c>).
/// </summary>
internal static partial class OperationResolver
{
    public static ResolvedOperation? Resolve(ArazzoStep step, IReadOnlyDictionary<string, OpenApiDocument> sources, out string? error)
    {
        error = null;
        if (step.OperationId is { } operationId)
        {
            return ResolveById(operationId, sources, out error);
        }

        if (step.OperationPath is { } operationPath)
        {
            return ResolveByPath(operationPath, sources, out error);
        }

        return null;
    }

    private static ResolvedOperation? ResolveById(string operationId, IReadOnlyDictionary<string, OpenApiDocument> sources, out string? error)
    {
        var candidates = sources.AsEnumerable();
        var id = operationId;
        var qualified = QualifiedOperationId().Match(operationId);
        if (qualified.Success)
        {
            var sourceName = qualified.Groups["source"].Value;
            id = qualified.Groups["id"].Value;
            candidates = sources.Where(s => s.Key == sourceName);
            if (!candidates.Any())
            {
                error = $"operationId '{operationId}' names source description '{sourceName}', which is not a loaded OpenAPI description";
                return null;
            }
        }

        var found = candidates.SelectMany(source => Operations(source.Key, source.Value)).Where(o => o.OperationId == id).ToList();
        error = found.Count switch
        {
            0 => $"operationId '{operationId}' does not exist in the source descriptions",
            1 => null,
            _ => $"operationId '{operationId}' exists in several source descriptions; write $sourceDescriptions.<name>.{id}",
        };
        return found.Count == 1 ? found[0] : null;
    }

    private static ResolvedOperation? ResolveByPath(string operationPath, IReadOnlyDictionary<string, OpenApiDocument> sources, out string? error)
    {
        var match = OperationPathPattern().Match(operationPath);
        if (!match.Success)
        {
            error = "operationPath must look like '{$sourceDescriptions.<name>.url}#/paths/<escaped path>/<method>'";
            return null;
        }

        var sourceName = match.Groups["source"].Value;
        if (!sources.TryGetValue(sourceName, out var document))
        {
            error = $"operationPath names source description '{sourceName}', which is not a loaded OpenAPI description";
            return null;
        }

        var segments = JsonPointerPath.Split(match.Groups["pointer"].Value);
        var found = segments.Count == 3 && segments[0] == "paths"
            ? Operations(sourceName, document).FirstOrDefault(o => o.PathTemplate == segments[1] && string.Equals(o.Method, segments[2], StringComparison.OrdinalIgnoreCase))
            : null;
        error = found is null ? $"operationPath '{operationPath}' does not point at an operation of '{sourceName}'" : null;
        return found;
    }

    private static IEnumerable<ResolvedOperation> Operations(string sourceName, OpenApiDocument document)
    {
        foreach (var (path, item) in document.Paths ?? [])
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var servers = operation.Servers is { Count: > 0 } ? operation.Servers : item.Servers is { Count: > 0 } ? item.Servers : document.Servers;
                var variables = PathVariable().Matches(path).Select(m => m.Groups[1].Value).ToList();
                yield return new ResolvedOperation(sourceName, operation.OperationId, method.Method.ToUpperInvariant(), path, ServerUrl(servers), variables);
            }
        }
    }

    private static string? ServerUrl(IList<OpenApiServer>? servers)
    {
        if (servers is not { Count: > 0 } || servers[0].Url is not { } url)
        {
            return null;
        }

        foreach (var (name, variable) in servers[0].Variables ?? new Dictionary<string, OpenApiServerVariable>())
        {
            url = url.Replace("{" + name + "}", variable.Default, StringComparison.Ordinal);
        }

        return url;
    }

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex PathVariable();

    [GeneratedRegex(@"^\$sourceDescriptions\.(?<source>[A-Za-z0-9_\-]+)\.(?<id>.+)$")]
    private static partial Regex QualifiedOperationId();

    [GeneratedRegex(@"^\{\$sourceDescriptions\.(?<source>[A-Za-z0-9_\-]+)\.url\}#(?<pointer>/.*)$")]
    private static partial Regex OperationPathPattern();
}
