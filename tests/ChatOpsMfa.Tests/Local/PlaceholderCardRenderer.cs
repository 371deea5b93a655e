using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Local;

namespace ChatOpsMfa.Tests.Local;

/// <summary>Stands in for the real template renderer: a card that names its template and carries its data.</summary>
internal sealed class PlaceholderCardRenderer : ILocalCardRenderer
{
    public JsonObject Render(CardContent card) => new()
    {
        ["type"] = "AdaptiveCard",
        ["version"] = "1.5",
        ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = card.Template }),
        ["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Action.Submit",
            ["title"] = "Approve",
            ["data"] = card.Data.DeepClone(),
        }),
    };
}
