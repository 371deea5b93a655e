using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>A YAML or JSON document as JSON, with the 1-based line and column of every node by JSON pointer.</summary>
internal sealed record ParsedSource(JsonNode? Root, IReadOnlyDictionary<string, (int Line, int Column)> Positions)
{
    public string Locate(string pointer)
    {
        // Fall back to the nearest ancestor that has a position, so every location gets a line.
        var probe = pointer;
        while (true)
        {
            if (Positions.TryGetValue(probe, out var position))
            {
                return $"{pointer} ({position.Line}:{position.Column})";
            }

            if (probe.Length == 0)
            {
                return pointer;
            }

            var slash = probe.LastIndexOf('/');
            probe = slash <= 0 ? string.Empty : probe[..slash];
        }
    }
}
