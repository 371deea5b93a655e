using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>The fields of an incoming Bot Framework activity the bot uses, read defensively from its JSON.</summary>
internal sealed record TeamsInboundActivity(
    string Type,
    string? Id,
    string? Name,
    string? ChannelId,
    string? ServiceUrl,
    string? FromId,
    string? FromName,
    string? FromAadObjectId,
    string? ConversationId,
    string? ConversationType,
    bool IsGroup,
    string? TenantId,
    string? Text,
    JsonNode? Value,
    string? ReplyToId)
{
    public static TeamsInboundActivity? Parse(JsonObject activity)
    {
        if (Str(activity, "type") is not { } type)
        {
            return null;
        }

        var from = activity["from"] as JsonObject;
        var conversation = activity["conversation"] as JsonObject;
        var conversationType = conversation is null ? null : Str(conversation, "conversationType");
        var isGroup = conversation?["isGroup"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True
            || conversationType is "channel" or "groupChat";
        var tenant = (conversation is null ? null : Str(conversation, "tenantId"))
            ?? (activity["channelData"]?["tenant"] as JsonObject is { } t ? Str(t, "id") : null);
        return new TeamsInboundActivity(
            type,
            Str(activity, "id"),
            Str(activity, "name"),
            Str(activity, "channelId"),
            Str(activity, "serviceUrl"),
            from is null ? null : Str(from, "id"),
            from is null ? null : Str(from, "name"),
            from is null ? null : Str(from, "aadObjectId"),
            conversation is null ? null : Str(conversation, "id"),
            conversationType,
            isGroup,
            tenant,
            Str(activity, "text"),
            activity["value"],
            Str(activity, "replyToId"));
    }

    private static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
