using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Local;

/// <summary>
/// Activities shaped exactly as Web Chat 4.18.1 posts them (botframework-webchat-core
/// src/sagas/postActivitySaga.ts and sendPostBackToPostActivitySaga.js).
/// </summary>
internal static class WebChatActivities
{
    public static JsonObject Message(string userId, string userName, string text, string clientActivityId = "h1b2c3d4e5") => new()
    {
        ["type"] = "message",
        ["channelData"] = new JsonObject { ["clientActivityID"] = clientActivityId },
        ["channelId"] = "webchat",
        ["from"] = new JsonObject { ["id"] = userId, ["name"] = userName, ["role"] = "user" },
        ["locale"] = "en-US",
        ["localTimestamp"] = "2026-03-02T10:00:00.000+01:00",
        ["localTimezone"] = "Europe/Berlin",
        ["attachments"] = new JsonArray(),
        ["text"] = text,
        ["entities"] = new JsonArray(new JsonObject
        {
            ["requiresBotState"] = true,
            ["supportsListening"] = true,
            ["supportsTts"] = true,
            ["type"] = "ClientCapabilities",
        }),
    };

    /// <summary>What an Action.Submit click sends: a post-back message with <c>value</c> and no text.</summary>
    public static JsonObject PostBack(string userId, string userName, JsonObject value, string clientActivityId = "p9q8r7") => new()
    {
        ["type"] = "message",
        ["channelData"] = new JsonObject { ["postBack"] = true, ["clientActivityID"] = clientActivityId },
        ["channelId"] = "webchat",
        ["from"] = new JsonObject { ["id"] = userId, ["name"] = userName, ["role"] = "user" },
        ["locale"] = "en-US",
        ["localTimestamp"] = "2026-03-02T10:00:05.000+01:00",
        ["localTimezone"] = "Europe/Berlin",
        ["attachments"] = new JsonArray(),
        ["value"] = value,
    };

    /// <summary>A message as our tests post it through Direct Line: a fresh clientActivityID, text and/or a card value.</summary>
    public static JsonObject From(string user, string? text = null, JsonObject? value = null)
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["from"] = new JsonObject { ["id"] = user, ["name"] = user },
            ["channelData"] = new JsonObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") },
        };
        if (text is not null)
        {
            activity["text"] = text;
        }

        if (value is not null)
        {
            activity["value"] = value;
        }

        return activity;
    }
}
