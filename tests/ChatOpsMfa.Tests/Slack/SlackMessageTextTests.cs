using ChatOpsMfa.Channels.Slack.Inbound;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>Command and message text as Slack escapes it: mentions become user ids, linked emails become addresses.</summary>
public sealed class SlackMessageTextTests
{
    [Theory]
    [InlineData("<@UALICE|alice>", "@alice", "UALICE")]
    [InlineData("<@UALICE>", "@UALICE", "UALICE")]
    [InlineData("<@UBOT> <@UALICE|alice> <@UALICE>", "@UBOT @alice @UALICE", "UBOT,UALICE")]
    [InlineData("<mailto:alice@example.com|alice@example.com>", "alice@example.com", "")]
    [InlineData("alice@example.com", "alice@example.com", "")]
    [InlineData("<#C123|general> <https://evil.example|click>", "general click", "")]
    [InlineData("<@not-a-user|x>", "x", "")]
    public void Mentions_and_links_are_read_as_slack_escapes_them(string text, string plain, string ids)
    {
        var (parsed, mentioned) = SlackMessageText.Parse(text);

        Assert.Equal(plain, parsed);
        Assert.Equal(ids.Split(',', StringSplitOptions.RemoveEmptyEntries), mentioned);
    }

    [Fact]
    public void At_most_a_handful_of_mentions_are_looked_up()
    {
        var text = string.Join(" ", Enumerable.Range(0, 40).Select(i => $"<@U{i:D4}>"));

        Assert.Equal(SlackMessageText.MaximumMentions, SlackMessageText.Parse(text).MentionedUserIds.Count);
    }
}
