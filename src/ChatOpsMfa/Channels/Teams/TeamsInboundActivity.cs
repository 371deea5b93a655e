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
    string? ReplyToId,
    string? RecipientId = null,
    IReadOnlyList<TeamsMention>? Mentions = null,
    string? TeamId = null,
    bool TenantsDisagree = false)
{
    /// <summary>A message names a handful of people at most; more are ignored, bounding the member lookups.</summary>
    public const int MaximumMentions = 5;

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
        var channelData = activity["channelData"] as JsonObject;
        var conversationTenant = conversation is null ? null : Str(conversation, "tenantId");
        var channelDataTenant = channelData?["tenant"] is JsonObject t ? Str(t, "id") : null;
        var tenant = conversationTenant ?? channelDataTenant;
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
            Str(activity, "replyToId"),
            activity["recipient"] is JsonObject recipient ? Str(recipient, "id") : null,
            ReadMentions(activity["entities"] as JsonArray),
            channelData?["team"] is JsonObject team ? Str(team, "id") : null,
            conversationTenant is not null && channelDataTenant is not null
                && !string.Equals(conversationTenant, channelDataTenant, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The <c>mention</c> entities: <c>{type:"mention", mentioned:{id, name}, text:"&lt;at&gt;…&lt;/at&gt;"}</c>.</summary>
    private static List<TeamsMention> ReadMentions(JsonArray? entities)
    {
        var mentions = new List<TeamsMention>();
        foreach (var entity in (entities ?? []).OfType<JsonObject>())
        {
            if (Str(entity, "type") == "mention" && entity["mentioned"] is JsonObject mentioned && Str(mentioned, "id") is { Length: <= 256 } id
                && mentions.Count < MaximumMentions && !mentions.Any(m => m.Id == id))
            {
                mentions.Add(new TeamsMention(id, Str(mentioned, "name")));
            }
        }

        return mentions;
    }

    private static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
