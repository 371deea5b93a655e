using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Arazzo;

/// <summary>RFC 6901 JSON pointers over <see cref="JsonNode"/>: read a value, or set one (for payload replacements).</summary>
internal static class JsonPointerPath
{
    public static IReadOnlyList<string> Split(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new FormatException("A JSON pointer is empty or starts with '/'.");
        }

        return pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
    }

    public static bool TryGet(JsonNode? node, IEnumerable<string> segments, out JsonNode? value)
    {
        var current = node;
        foreach (var segment in segments)
        {
            switch (current)
            {
                case JsonObject obj when obj.TryGetPropertyValue(segment, out var child):
                    current = child;
                    break;
                case JsonArray array when TryIndex(segment, array.Count, out var index):
                    current = array[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }

        value = current;
        return true;
    }

    /// <summary>Sets the value at the pointer; the parent must exist. Returns the (possibly new) root.</summary>
    public static bool TrySet(ref JsonNode? root, string pointer, JsonNode? value)
    {
        var segments = Split(pointer);
        if (segments.Count == 0)
        {
            root = value;
            return true;
        }

        if (!TryGet(root, segments.Take(segments.Count - 1), out var parent))
        {
            return false;
        }

        var last = segments[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                return true;
            case JsonArray array when last == "-":
                array.Add(value);
                return true;
            case JsonArray array when TryIndex(last, array.Count, out var index):
                array[index] = value;
                return true;
            default:
                return false;
        }
    }

    private static bool TryIndex(string segment, int count, out int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < count
        && (segment == "0" || !segment.StartsWith('0'));
}
