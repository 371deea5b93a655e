using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo.JsonPath;

/// <summary>A node a query selected: its value (JSON null is null) and its normalized path, such as <c>$['a'][0]</c>.</summary>
public sealed record JsonPathNode(JsonNode? Value, string Path);
