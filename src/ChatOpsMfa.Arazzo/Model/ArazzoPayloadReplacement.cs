using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>Sets <see cref="Value"/> at the JSON pointer <see cref="Target"/> inside the payload.</summary>
public sealed record ArazzoPayloadReplacement(string Target, JsonNode? Value, string Pointer);
