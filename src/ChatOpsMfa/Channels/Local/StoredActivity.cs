using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Local;

/// <summary>One activity in a conversation's history, at the watermark it was (re)sent with.</summary>
/// <param name="VisibleToUserId">Set for ephemeral activities: only this user's token sees it.</param>
internal sealed record StoredActivity(long Watermark, string Id, JsonObject Activity, string? VisibleToUserId);
