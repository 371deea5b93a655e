using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Slack.BlockKit;

/// <summary>Block Kit text objects and the escaping Slack asks for, so user-written text never becomes a link or a mention.</summary>
internal static class BlockText
{
    public static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    public static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    /// <summary>Slack's three control characters in mrkdwn; escaping them keeps <c>&lt;http://x|y&gt;</c> and <c>&lt;!here&gt;</c> literal.</summary>
    public static string Escape(string? text) =>
        (text ?? "").Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    public static string Field(string label, string? value) => $"*{label}*\n{Escape(value)}";

    public static string? Read(JsonNode? node, string path)
    {
        var current = node;
        foreach (var part in path.Split('.'))
        {
            current = current is JsonObject obj ? obj[part] : null;
        }

        return current is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
    }
}
