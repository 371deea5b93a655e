using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Slack.BlockKit;

/// <summary>
/// A modal that only says something: the placeholder opened at once for <c>/mfa-reset @someone</c> (its trigger id
/// would expire while the core looks the person up), and what it becomes when the answer is not a form.
/// </summary>
public static class NoticeModal
{
    public const string PlaceholderText = "Looking up that person… this takes a moment.";

    public static JsonObject Render(string text) => new()
    {
        ["type"] = "modal",
        ["title"] = BlockText.Plain("MFA reset"),
        ["close"] = BlockText.Plain("Close"),
        ["blocks"] = new JsonArray(BlockKitRenderer.Section(BlockText.Escape(BlockKitLimits.Shorten(text, 2900)))),
    };
}
