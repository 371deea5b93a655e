using System.Globalization;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Cards;

/// <summary>The JSON shapes the card records share, written one way so every template reads them alike.</summary>
internal static class CardDataFields
{
    /// <summary>Sets the field only when there is something to show, so templates can test it with exists().</summary>
    public static void SetIfPresent(this JsonObject data, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            data[name] = value;
        }
    }

    public static JsonObject Factor(FactorKind factor) => new()
    {
        ["factorType"] = factor.FactorType,
        ["provider"] = factor.Provider,
        ["label"] = factor.Label,
    };

    public static JsonArray Actions(IEnumerable<CardAction> actions) =>
        new(actions.Select(a => (JsonNode)new JsonObject
        {
            ["verb"] = a.Verb,
            ["title"] = a.Title,
            ["style"] = a.Style,
        }).ToArray());

    /// <summary>A time as ISO 8601 UTC, for machines (Slack date tokens, sorting).</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time as people read it, unambiguous across time zones.</summary>
    public static string TimestampText(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
