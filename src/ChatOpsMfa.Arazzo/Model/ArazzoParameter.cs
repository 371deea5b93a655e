using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>A parameter; <see cref="In"/> is path, query, header or cookie (null for workflow steps).</summary>
public sealed record ArazzoParameter(string Name, string? In, JsonNode? Value, string Pointer);
