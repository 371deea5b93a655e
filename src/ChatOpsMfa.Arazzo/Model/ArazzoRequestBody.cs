using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

public sealed record ArazzoRequestBody(
    string? ContentType,
    JsonNode? Payload,
    IReadOnlyList<ArazzoPayloadReplacement> Replacements,
    string Pointer);
