using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>Events API bodies as Slack wraps them (<c>event_callback</c>).</summary>
internal static class SlackPayloadsEvents
{
    public static JsonObject DirectMessage(string eventId, string userId, string channelId, string text) => new()
    {
        ["token"] = "XXYYZZ",
        ["team_id"] = "T0001",
        ["api_app_id"] = "A0001",
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1_700_000_000,
        ["event"] = new JsonObject
        {
            ["type"] = "message",
            ["channel_type"] = "im",
            ["user"] = userId,
            ["text"] = text,
            ["ts"] = "1700000000.000100",
            ["channel"] = channelId,
        },
    };
}
