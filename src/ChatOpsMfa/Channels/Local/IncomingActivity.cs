using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Local;

/// <summary>A message activity a Web Chat client posted, checked field by field.</summary>
/// <param name="Raw">The activity as sent, echoed back with server fields set.</param>
internal sealed record IncomingActivity(JsonObject Raw, string FromId, string? FromName, string? Text, JsonObject? Value, string? ReplyToId);
