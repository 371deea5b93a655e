using Microsoft.OpenApi;

namespace ChatOpsMfa.Arazzo;

/// <summary>The loaded source descriptions of one document: OpenAPI descriptions and other Arazzo documents, by name.</summary>
internal sealed record SourceDocuments(
    IReadOnlyDictionary<string, OpenApiDocument> OpenApi,
    IReadOnlyDictionary<string, ArazzoDocument> Arazzo);
