namespace ChatOpsMfa.Channels.Slack.BlockKit;

/// <summary>
/// How a message's <see cref="ChatMessage.Mentions"/> reach people in Slack. A Slack user id becomes <c>&lt;@U…&gt;</c>,
/// which Slack shows as the person's name and notifies them by (docs.slack.dev, "Formatting message text": mentioning
/// users). Anything else (an approver listed by another kind of id) is named in plain text, escaped, and never put
/// inside <c>&lt;@…&gt;</c>: a configured entry cannot become a link, an <c>@channel</c> or a mention of someone else.
/// </summary>
internal static class SlackMentions
{
    /// <summary>Room the mentions may take in one text object; a handful of approvers needs a fraction of it.</summary>
    public const int MaximumLength = 1000;

    /// <summary>
    /// The mentions as mrkdwn, each person once, in order, whole tokens only up to <see cref="MaximumLength"/>; null
    /// when there is nobody to mention.
    /// </summary>
    public static string? Render(IReadOnlyList<ChatUser>? mentions)
    {
        var parts = new List<string>();
        var length = 0;
        foreach (var person in (mentions ?? []).DistinctBy(m => m.Id, StringComparer.Ordinal))
        {
            var part = SlackIds.IsUserId(person.Id)
                ? $"<@{person.Id}>"
                : BlockText.Escape(string.IsNullOrWhiteSpace(person.Name) ? person.Id : person.Name);
            if (string.IsNullOrWhiteSpace(part) || length + part.Length + 1 > MaximumLength)
            {
                continue;
            }

            parts.Add(part);
            length += part.Length + 1;
        }

        return parts.Count == 0 ? null : string.Join(" ", parts);
    }

    /// <summary>
    /// Escaped text with the rendered mentions on a line of their own, within <paramref name="limit"/>: when something
    /// must be cut it is the text, never a mention (a cut <c>&lt;@U…</c> would notify nobody).
    /// </summary>
    public static string Append(string escapedText, string? mentions, int limit)
    {
        if (mentions is null)
        {
            return BlockKitLimits.Shorten(escapedText, limit);
        }

        return BlockKitLimits.Shorten(escapedText, Math.Max(0, limit - mentions.Length - 1)) + "\n" + mentions;
    }
}
