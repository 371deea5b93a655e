using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Channels.Slack.BlockKit;

/// <summary>
/// The modal where the person types the code from their app, SMS, call or email (a Slack message has no text input of
/// its own). Its <c>private_metadata</c> is the request id; Slack keeps it server-side and returns it with the submission.
/// </summary>
public static class ActivationCodeModal
{
    public const int MinLength = 6;
    public const int MaxLength = 8;

    public const string Label = "6-digit code";

    public static JsonObject Render(string requestId) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = SlackActionIds.ActivationCodeModal,
        ["private_metadata"] = requestId,
        ["title"] = BlockText.Plain("Finish your MFA setup"),
        ["submit"] = BlockText.Plain("Activate"),
        ["close"] = BlockText.Plain("Cancel"),
        ["blocks"] = new JsonArray(
            BlockKitRenderer.Section("Enter the code from your authenticator app, or the one Okta sent you by SMS, call or email."),
            new JsonObject
            {
                ["type"] = "input",
                ["block_id"] = ActivationInputs.PassCode,
                ["label"] = BlockText.Plain(Label),
                ["element"] = new JsonObject
                {
                    ["type"] = "plain_text_input",
                    ["action_id"] = ActivationInputs.PassCode,
                    ["min_length"] = MinLength,
                    ["max_length"] = MaxLength,
                    ["placeholder"] = BlockText.Plain("123456"),
                },
            }),
    };

    /// <summary>The typed code (spaces removed), or null when the submission has none.</summary>
    public static string? ReadCode(JsonObject? values) =>
        BlockText.Read(values?[ActivationInputs.PassCode]?[ActivationInputs.PassCode] as JsonObject ?? [], "value")?.Replace(" ", "", StringComparison.Ordinal);

    /// <summary>6 to 8 ASCII digits: what Okta's codes look like. Anything else is refused in the modal, before the core.</summary>
    public static bool IsWellFormed(string code) =>
        code.Length is >= MinLength and <= MaxLength && code.All(char.IsAsciiDigit);
}
