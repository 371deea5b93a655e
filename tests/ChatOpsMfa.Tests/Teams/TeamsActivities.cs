using System.Text.Json.Nodes;
using ChatOpsMfa.Tests.Teams.Fakes;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>Activities shaped as Teams sends them (see the Bot Framework activity schema and Teams channelData).</summary>
public static class TeamsActivities
{
    public static JsonObject PersonalMessage(TeamsTestUser from, string text, string serviceUrl) =>
        Activity("message", from, Personal(from), serviceUrl, text: text);

    public static JsonObject ChannelMessage(TeamsTestUser from, string text, string serviceUrl, string? threadRoot = null) =>
        Activity("message", from, Channel(threadRoot), serviceUrl, text: text);

    /// <summary>
    /// A personal-chat message mentioning people, as Teams writes it: <c>&lt;at&gt;Name&lt;/at&gt;</c> in the text and a
    /// <c>mention</c> entity per person (id, name, the same text). The bot's own mention is always first.
    /// </summary>
    public static JsonObject PersonalMessageMentioning(TeamsTestUser from, string command, string serviceUrl, params TeamsTestUser[] mentioned)
    {
        var text = "<at>ChatOps MFA</at> " + command + string.Concat(mentioned.Select(m => $" <at>{m.Name}</at>"));
        var activity = PersonalMessage(from, text, serviceUrl);
        var entities = activity["entities"]!.AsArray();
        entities.Add(Mention("28:" + FakeBotFramework.AppId, "ChatOps MFA"));
        foreach (var person in mentioned)
        {
            entities.Add(Mention(person.MemberId, person.Name));
        }

        return activity;
    }

    private static JsonObject Mention(string id, string name) => new()
    {
        ["type"] = "mention",
        ["text"] = $"<at>{name}</at>",
        ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name },
    };

    /// <summary>An <c>Action.Execute</c> click: <c>invoke</c> named <c>adaptiveCard/action</c>, inputs merged into action.data.</summary>
    public static JsonObject Execute(TeamsTestUser from, JsonObject conversation, string verb, JsonObject data, string serviceUrl, string? cardId = null, string trigger = "manual")
    {
        var activity = Activity("invoke", from, conversation, serviceUrl);
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["id"] = "a-" + verb, ["verb"] = verb, ["data"] = data },
            ["trigger"] = trigger,
        };
        if (cardId is not null)
        {
            activity["replyToId"] = cardId;
        }

        return activity;
    }

    public static JsonObject Personal(TeamsTestUser user) => new()
    {
        ["conversationType"] = "personal",
        ["tenantId"] = FakeBotFramework.TenantId,
        ["id"] = user.PersonalConversationId,
    };

    /// <summary>The 1:1 chat the bot opened with <paramref name="user"/> (the fake Connector's id for it).</summary>
    public static JsonObject Direct(TeamsTestUser user) => new()
    {
        ["conversationType"] = "personal",
        ["tenantId"] = FakeBotFramework.TenantId,
        ["id"] = "a:1on1-" + user.MemberId,
    };

    public static JsonObject Channel(string? threadRoot = null) => new()
    {
        ["isGroup"] = true,
        ["conversationType"] = "channel",
        ["tenantId"] = FakeBotFramework.TenantId,
        ["id"] = threadRoot is null ? TeamsUsers.SupportChannelId : TeamsUsers.SupportChannelId + ";messageid=" + threadRoot,
    };

    private static JsonObject Activity(string type, TeamsTestUser from, JsonObject conversation, string serviceUrl, string? text = null)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = "f:" + Guid.NewGuid().ToString("N"),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["localTimestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = from.MemberId, ["name"] = from.Name, ["aadObjectId"] = from.AadObjectId },
            ["conversation"] = conversation.DeepClone(),
            ["recipient"] = new JsonObject { ["id"] = "28:" + FakeBotFramework.AppId, ["name"] = "ChatOps MFA" },
            ["entities"] = new JsonArray(new JsonObject { ["locale"] = "en-US", ["country"] = "US", ["platform"] = "Web", ["type"] = "clientInfo" }),
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = FakeBotFramework.TenantId } },
            ["locale"] = "en-US",
        };
        if (text is not null)
        {
            activity["text"] = text;
            activity["textFormat"] = "plain";
        }

        return activity;
    }
}
