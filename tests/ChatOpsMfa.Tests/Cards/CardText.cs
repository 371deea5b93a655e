using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Cards;

/// <summary>Reads what a rendered card shows, without depending on how JSON escapes it.</summary>
internal static class CardText
{
    /// <summary>Every string value anywhere in the card.</summary>
    public static IEnumerable<string> AllStrings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => AllStrings(p.Value)),
        JsonArray array => array.SelectMany(AllStrings),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };

    /// <summary>Every object in the card whose "type" is <paramref name="type"/>, depth first.</summary>
    public static IEnumerable<JsonObject> OfType(JsonNode? node, string type)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == type)
                {
                    yield return obj;
                }

                foreach (var child in obj.SelectMany(p => OfType(p.Value, type)))
                {
                    yield return child;
                }

                break;
            case JsonArray array:
                foreach (var child in array.SelectMany(item => OfType(item, type)))
                {
                    yield return child;
                }

                break;
        }
    }

    /// <summary>The card's facts as title → value.</summary>
    public static Dictionary<string, string> Facts(JsonObject card) =>
        OfType(card, "FactSet")
            .SelectMany(f => f["facts"]!.AsArray())
            .ToDictionary(f => f!["title"]!.GetValue<string>(), f => f!["value"]!.GetValue<string>());

    /// <summary>The setup key the result card shows (its monospace text block), or null when the card has none.</summary>
    public static string? SetupKey(JsonNode? card) =>
        OfType(card, "TextBlock").LastOrDefault(b => b["fontType"]?.GetValue<string>() == "Monospace")?["text"]?.GetValue<string>();
}
