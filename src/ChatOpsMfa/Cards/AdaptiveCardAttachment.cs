using System.Text.Json.Nodes;

namespace ChatOpsMfa.Cards;

/// <summary>An Adaptive Card wrapped as a Bot Framework attachment.</summary>
public static class AdaptiveCardAttachment
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    public static JsonObject Create(JsonObject card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new JsonObject
        {
            ["contentType"] = ContentType,
            ["content"] = card.DeepClone(),
        };
    }
}
