using System.Text.RegularExpressions;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// What a person typed, as Slack escapes it (<c>should_escape: true</c> on the command; always in message events):
/// user mentions <c>&lt;@U123&gt;</c> / <c>&lt;@U123|name&gt;</c> become the mentioned ids (and <c>@name</c> in the text), an email Slack linked
/// (<c>&lt;mailto:a@b.c|a@b.c&gt;</c>) becomes the address, and other links become their label.
/// </summary>
internal static partial class SlackMessageText
{
    /// <summary>A command names one person; a handful of mentions is plenty, and bounds the users.info calls.</summary>
    public const int MaximumMentions = 5;

    public static (string Text, IReadOnlyList<string> MentionedUserIds) Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return ("", []);
        }

        var mentioned = new List<string>();
        var plain = Token().Replace(text, match =>
        {
            var target = match.Groups["target"].Value;
            var label = match.Groups["label"].Success ? match.Groups["label"].Value : null;
            if (target.StartsWith('@') && SlackIds.IsUserId(target[1..]))
            {
                if (mentioned.Count < MaximumMentions && !mentioned.Contains(target[1..], StringComparer.Ordinal))
                {
                    mentioned.Add(target[1..]);
                }

                // Kept as a word, so a mention that resolves to nobody still reads as "someone was named".
                return "@" + (string.IsNullOrWhiteSpace(label) ? target[1..] : label);
            }

            if (target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            {
                return target["mailto:".Length..];
            }

            return label ?? target;
        });
        return (plain.Trim(), mentioned);
    }

    [GeneratedRegex(@"<(?<target>[^<>|]{1,500})(\|(?<label>[^<>]{0,500}))?>")]
    private static partial Regex Token();
}
