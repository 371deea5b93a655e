using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>Payloads shaped as Slack sends them (field lists from docs.slack.dev and the project's Slack fact sheet).</summary>
internal static class SlackPayloads
{
    public static string Form(params string[] pairs)
    {
        var parts = new List<string>();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            parts.Add(Uri.EscapeDataString(pairs[i]) + "=" + Uri.EscapeDataString(pairs[i + 1]));
        }

        return string.Join("&", parts);
    }

    public static string Command(string userId, string triggerId, string text = "", string channelId = "CGENERAL") => Form(
        "token", "gIkuvaNzQIHg97ATvDxqgjtO", "team_id", "T0001", "team_domain", "example", "channel_id", channelId,
        "channel_name", "general", "user_id", userId, "user_name", userId.ToLowerInvariant(), "command", "/mfa-reset",
        "text", text, "api_app_id", "A0001", "response_url", "https://hooks.slack.com/commands/T0001/1/abc",
        "trigger_id", triggerId);

    public static JsonObject ViewSubmission(
        string userId, string viewId, string factorType, string provider, string? phone = null, string? email = null, string privateMetadata = "")
    {
        var values = new JsonObject
        {
            ["factorType"] = new JsonObject { ["value"] = Selected(factorType) },
            ["provider"] = new JsonObject { ["value"] = Selected(provider) },
            ["phoneNumber"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = phone } },
            ["email"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = email } },
        };
        return Submission(userId, viewId, "mfa-reset-request", privateMetadata, values);
    }

    public static JsonObject Click(string userId, string actionId, string value, string channelId, string messageTs, string actionTs)
    {
        return new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = userId, ["username"] = userId.ToLowerInvariant(), ["name"] = userId.ToLowerInvariant(), ["team_id"] = "T0001" },
            ["api_app_id"] = "A0001",
            ["trigger_id"] = "trigger-" + actionTs,
            ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "example" },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channelId, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = channelId, ["name"] = "support" },
            ["response_url"] = "https://hooks.slack.com/actions/T0001/1/abc",
            ["actions"] = new JsonArray(new JsonObject
            {
                ["action_id"] = actionId,
                ["block_id"] = "request-actions",
                ["type"] = "button",
                ["value"] = value,
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = actionId },
                ["action_ts"] = actionTs,
            }),
        };
    }

    private static JsonObject Selected(string value) => new()
    {
        ["type"] = "static_select",
        ["selected_option"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = value }, ["value"] = value },
    };

    /// <summary>The code modal's submission, as Slack sends it.</summary>
    public static JsonObject CodeSubmission(string userId, string viewId, string requestId, string code) =>
        Submission(userId, viewId, "mfa_activation_code", requestId, new JsonObject
        {
            ["passCode"] = new JsonObject { ["passCode"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = code } },
        });

    // A view_submission as Slack sends it, for a modal with this callback_id, private_metadata and state values.
    private static JsonObject Submission(string userId, string viewId, string callbackId, string privateMetadata, JsonObject values) => new()
    {
        ["type"] = "view_submission",
        ["team"] = new JsonObject { ["id"] = "T0001", ["domain"] = "example" },
        ["user"] = new JsonObject { ["id"] = userId, ["username"] = userId.ToLowerInvariant(), ["name"] = userId.ToLowerInvariant(), ["team_id"] = "T0001" },
        ["api_app_id"] = "A0001",
        ["trigger_id"] = "trigger-" + viewId,
        ["view"] = new JsonObject
        {
            ["id"] = viewId,
            ["type"] = "modal",
            ["callback_id"] = callbackId,
            ["private_metadata"] = privateMetadata,
            ["hash"] = "156772938.1827394",
            ["state"] = new JsonObject { ["values"] = values },
        },
    };
}
