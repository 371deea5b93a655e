using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Local;

namespace ChatOpsMfa.BrowserTests;

/// <summary>Placeholder for the real template renderer: an Adaptive Card 1.5 with an Approve button until approved.</summary>
internal sealed class ApprovalCardRenderer : ILocalCardRenderer
{
    public JsonObject Render(CardContent card) => card.Data["approvedBy"] is { } approver
        ? new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = new JsonArray(
                new JsonObject { ["type"] = "TextBlock", ["text"] = "MFA reset approved", ["weight"] = "Bolder", ["size"] = "Medium", ["color"] = "Good" },
                new JsonObject { ["type"] = "TextBlock", ["text"] = $"Requester: {card.Data["requester"]}", ["wrap"] = true },
                new JsonObject { ["type"] = "TextBlock", ["text"] = $"Approved by: {approver}", ["wrap"] = true }),
        }
        : Pending(card);

    private static JsonObject Pending(CardContent card) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
        ["version"] = "1.5",
        ["body"] = new JsonArray(
            new JsonObject { ["type"] = "TextBlock", ["text"] = "MFA reset approval", ["weight"] = "Bolder", ["size"] = "Medium" },
            new JsonObject { ["type"] = "TextBlock", ["text"] = $"Requester: {card.Data["requester"]}", ["wrap"] = true }),
        ["actions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Action.Submit",
            ["title"] = "Approve",
            ["data"] = card.Data.DeepClone(),
        }),
    };
}
