using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Slack.BlockKit;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// <see cref="ChatMessage.Mentions"/> in Block Kit: Slack user ids (U… and the W… of Enterprise Grid) as
/// <c>&lt;@U…&gt;</c>; anything else in plain, escaped text, never inside <c>&lt;@…&gt;</c>.
/// </summary>
public sealed class SlackMentionRenderingTests
{
    [Fact]
    public void Only_slack_user_ids_become_mentions_and_anything_else_is_named_escaped()
    {
        var mentions = new[]
        {
            new ChatUser("UBOB", "UBOB"),
            new ChatUser("W0ENTERPRISE", "W0ENTERPRISE"),
            new ChatUser("UBOB", "Bob again"),
            new ChatUser("U1", "U1"), // too short to be an id Slack issues
            new ChatUser("ubob", "ubob"),
            new ChatUser("UBOB>|<!here", "UBOB>|<!here"),
            new ChatUser("local:erin", "Erin & co"),
            new ChatUser("CSUPPORT", "CSUPPORT"), // a channel, not a person
        };

        var rendered = SlackMentions.Render(mentions);

        Assert.Equal("<@UBOB> <@W0ENTERPRISE> U1 ubob UBOB&gt;|&lt;!here Erin &amp; co CSUPPORT", rendered);
    }

    [Fact]
    public void A_text_message_carries_its_mentions_on_a_line_of_their_own()
    {
        var message = new ChatMessage("Reminder: <b>MFA-0001</b> waits.", Mentions: [new ChatUser("UBOB", "UBOB"), new ChatUser("UERIN", "UERIN")]);

        var blocks = BlockKitRenderer.RenderMessage(message);

        var section = Assert.Single(blocks);
        Assert.Equal("Reminder: &lt;b&gt;MFA-0001&lt;/b&gt; waits.\n<@UBOB> <@UERIN>", section!["text"]!["text"]!.GetValue<string>());
        Assert.Empty(FakeSlackRules.MessageViolations(blocks));
    }

    [Fact]
    public void Without_mentions_a_message_is_rendered_as_before()
    {
        var plain = BlockKitRenderer.RenderMessage(new ChatMessage("Hello"));
        var empty = BlockKitRenderer.RenderMessage(new ChatMessage("Hello", Mentions: []));

        Assert.Equal("Hello", Assert.Single(plain)!["text"]!["text"]!.GetValue<string>());
        Assert.Equal(plain.ToJsonString(), empty.ToJsonString());
        Assert.Null(SlackMentions.Render(null));
    }

    [Fact]
    public void A_card_gets_its_mentions_in_a_section_above_its_buttons()
    {
        var card = new StatusCardData("r1", "MFA-0001", FactorCatalog.Find("token:software:totp", "GOOGLE")!, "Waiting.", null,
            [CardAction.Cancel], DateTimeOffset.UnixEpoch).ToCardContent();

        var blocks = BlockKitRenderer.RenderMessage(new ChatMessage("Waiting.", card, Mentions: [new ChatUser("UBOB", "Bob")]));

        Assert.Equal("actions", blocks[^1]!["type"]!.GetValue<string>());
        Assert.Equal("<@UBOB>", blocks[^2]!["text"]!["text"]!.GetValue<string>());
        Assert.Empty(FakeSlackRules.MessageViolations(blocks));
    }

    [Fact]
    public void A_text_too_long_for_slack_is_shortened_but_its_mentions_are_kept_whole()
    {
        var message = new ChatMessage(new string('x', 5000), Mentions: [new ChatUser("UBOB", "UBOB"), new ChatUser("UERIN", "UERIN")]);

        var blocks = BlockKitRenderer.RenderMessage(message, out var cuts);
        var text = SlackMentions.Append(new string('x', 50_000), SlackMentions.Render(message.Mentions), BlockKitLimits.MessageText);

        var section = Assert.Single(blocks)!["text"]!["text"]!.GetValue<string>();
        Assert.True(section.Length <= BlockKitLimits.SectionText, section.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("characters cut]\n<@UBOB> <@UERIN>", section, StringComparison.Ordinal);
        Assert.Empty(cuts); // cut before the limits had to: nothing for FitMessage to do
        Assert.True(text.Length <= BlockKitLimits.MessageText);
        Assert.EndsWith("characters cut]\n<@UBOB> <@UERIN>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Mentions_are_bounded_and_never_cut_in_the_middle()
    {
        var many = Enumerable.Range(0, 200).Select(i => new ChatUser($"U{i:D8}", "x")).ToList();

        var rendered = SlackMentions.Render(many)!;

        Assert.True(rendered.Length <= SlackMentions.MaximumLength);
        Assert.All(rendered.Split(' '), part => Assert.Matches("^<@U[0-9]{8}>$", part));
        Assert.Empty(FakeSlackRules.MessageViolations(BlockKitRenderer.RenderMessage(new ChatMessage("Reminder", Mentions: many))));
    }
}
