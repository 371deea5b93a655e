using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Cards;

/// <summary>
/// Reads the setup key out of a key card as the person sees it (the monospace line under "Setup key"), so a test
/// activates with the key it was actually given, not with one taken from the bot's store or the sandbox.
/// </summary>
internal static class SetupKeys
{
    /// <summary>The setup key shown anywhere in <paramref name="node"/> (an activity, or a card), or null when there is none.</summary>
    public static string? In(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject card when card["items"] is JsonArray items:
                for (var i = 0; i + 1 < items.Count; i++)
                {
                    if (Text(items[i])?.StartsWith("Setup key", StringComparison.Ordinal) == true && Text(items[i + 1]) is { Length: > 0 } key)
                    {
                        return key;
                    }
                }

                return card.Select(p => In(p.Value)).FirstOrDefault(k => k is not null);
            case JsonObject other:
                return other.Select(p => In(p.Value)).FirstOrDefault(k => k is not null);
            case JsonArray array:
                return array.Select(In).FirstOrDefault(k => k is not null);
            default:
                return null;
        }
    }

    private static string? Text(JsonNode? block) =>
        block is JsonObject { } o && o["type"]?.ToString() == "TextBlock" ? o["text"]?.ToString() : null;
}
