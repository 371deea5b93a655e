using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Tests.Cards;

public sealed class ApprovalCardTests
{
    private readonly AdaptiveCardRenderer _renderer = new();

    [Fact]
    public void Representative_approval_card_is_a_valid_1_5_card_with_the_request_facts()
    {
        var card = _renderer.Render(CardSamples.Approval(history:
            [new DecisionEntry("Alan Turing", "Approved", CardSamples.Created.AddMinutes(5))]).ToCardContent());

        AdaptiveCardSchema.Validate(card);
        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal("1.5", card["version"]!.GetValue<string>());
        var facts = CardText.Facts(card);
        Assert.Equal("Grace Hopper", facts["Requested by"]);
        Assert.Equal("Grace Hopper (grace@example.com)", facts["For"]);
        Assert.Equal("SMS text message", facts["New method"]);
        Assert.Equal("+1 ••• ••• 4567", facts["Sent to"]);
        Assert.Equal("MFA-0042", facts["Request"]);
        Assert.Equal("2025-03-14 08:26 UTC", facts["Created"]);
        var texts = CardText.AllStrings(card).ToList();
        Assert.Contains("Waiting for approval", texts);
        Assert.Contains("Approved by Alan Turing, 2025-03-14 08:31 UTC", texts);
        Assert.Equal("Phone fell in the harbour", ReasonRun(card));
    }

    [Fact]
    public void The_full_phone_number_never_reaches_the_card()
    {
        var card = _renderer.Render(CardSamples.Approval().ToCardContent());

        Assert.DoesNotContain(CardText.AllStrings(card), s => s.Contains("415555", StringComparison.Ordinal));
    }

    [Fact]
    public void Email_destination_is_masked()
    {
        var data = CardSamples.Approval() with { Factor = CardSamples.Email, PhoneNumber = null, Email = "grace.hopper@example.com" };

        var card = _renderer.Render(data.ToCardContent());

        AdaptiveCardSchema.Validate(card);
        Assert.Equal("g•••@example.com", CardText.Facts(card)["Sent to"]);
        Assert.DoesNotContain(CardText.AllStrings(card), s => s.Contains("grace.hopper", StringComparison.Ordinal));
    }

    [Fact]
    public void Where_the_destination_came_from_is_shown_beside_it_in_Teams_and_Slack()
    {
        var data = CardSamples.Approval() with { DestinationSource = "the mobilePhone in Grace Hopper's Okta profile" };

        var card = _renderer.Render(data.ToCardContent());
        var slack = ChatOpsMfa.Channels.Slack.BlockKit.BlockKitRenderer.RenderMessage(new ChatOpsMfa.Channels.ChatMessage("x", data.ToCardContent()));

        AdaptiveCardSchema.Validate(card);
        Assert.Equal("+1 ••• ••• 4567 (the mobilePhone in Grace Hopper's Okta profile)", CardText.Facts(card)["Sent to"]);
        Assert.Contains("+1 ••• ••• 4567 (the mobilePhone in Grace Hopper's Okta profile)", slack.ToJsonString(
            new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.DoesNotContain("415555", slack.ToJsonString());
    }

    [Fact]
    public void Approve_and_deny_buttons_carry_verb_and_request_id()
    {
        var card = _renderer.Render(CardSamples.Approval([CardAction.Approve, CardAction.Deny]).ToCardContent());

        AdaptiveCardSchema.Validate(card);
        var buttons = CardText.OfType(card, "Action.Submit").ToList();
        Assert.Equal(2, buttons.Count);
        Assert.Equal("""{"verb":"approve","requestId":"req-7f3a"}""", buttons[0]["data"]!.ToJsonString());
        Assert.Equal("positive", buttons[0]["style"]!.GetValue<string>());
        Assert.Equal("Approve", buttons[0]["title"]!.GetValue<string>());
        Assert.Equal("""{"verb":"deny","requestId":"req-7f3a"}""", buttons[1]["data"]!.ToJsonString());
        Assert.Equal("destructive", buttons[1]["style"]!.GetValue<string>());
    }

    [Fact]
    public void No_permitted_actions_means_no_buttons_at_all()
    {
        var card = _renderer.Render(CardSamples.Approval(actions: []).ToCardContent());

        AdaptiveCardSchema.Validate(card);
        Assert.Empty(CardText.OfType(card, "ActionSet"));
        Assert.Empty(CardText.OfType(card, "Action.Submit"));
        Assert.False(card.ContainsKey("actions"));
    }

    [Fact]
    public void Only_the_permitted_buttons_appear()
    {
        var card = _renderer.Render(CardSamples.Approval(actions: [CardAction.Retry]).ToCardContent());

        AdaptiveCardSchema.Validate(card);
        var button = Assert.Single(CardText.OfType(card, "Action.Submit"));
        Assert.Equal("retry", button["data"]!["verb"]!.GetValue<string>());
    }

    [Fact]
    public void Empty_history_hides_the_decisions_section()
    {
        var card = _renderer.Render(CardSamples.Approval(history: []).ToCardContent());

        AdaptiveCardSchema.Validate(card);
        Assert.DoesNotContain("Decisions", CardText.AllStrings(card));
    }

    [Fact]
    public void History_lists_every_decision_in_order()
    {
        var card = _renderer.Render(CardSamples.Approval(history:
        [
            new DecisionEntry("Alan Turing", "Approved", CardSamples.Created.AddMinutes(5)),
            new DecisionEntry("Ada Lovelace", "Denied", CardSamples.Created.AddMinutes(6)),
        ]).ToCardContent());

        AdaptiveCardSchema.Validate(card);
        var lines = CardText.AllStrings(card).Where(s => s.Contains(" by ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["Approved by Alan Turing, 2025-03-14 08:31 UTC", "Denied by Ada Lovelace, 2025-03-14 08:32 UTC"],
            lines);
    }

    [Fact]
    public void Missing_optional_fields_leave_their_rows_out()
    {
        var data = CardSamples.Approval() with { Factor = CardSamples.GoogleTotp, PhoneNumber = null, Reason = null };

        var card = _renderer.Render(data.ToCardContent());

        AdaptiveCardSchema.Validate(card);
        Assert.False(CardText.Facts(card).ContainsKey("Sent to"));
        Assert.Empty(CardText.OfType(card, "RichTextBlock"));
    }

    [Fact]
    public void Hostile_and_long_text_is_shown_verbatim_and_the_card_stays_valid()
    {
        var longText = string.Concat(Enumerable.Repeat("A very long explanation. ", 400));
        var data = CardSamples.Approval(history: [new DecisionEntry(CardSamples.Hostile, "Denied", CardSamples.Created)]) with
        {
            Requester = new("29:x", CardSamples.Hostile),
            TargetDisplayName = CardSamples.Hostile,
            Reason = longText + CardSamples.Hostile,
            StatusText = CardSamples.Hostile,
        };

        var card = _renderer.Render(data.ToCardContent());

        AdaptiveCardSchema.Validate(card);
        Assert.Equal(CardSamples.Hostile, CardText.Facts(card)["Requested by"]);
        Assert.Equal(longText + CardSamples.Hostile, ReasonRun(card));
        var roundTripped = JsonNode.Parse(card.ToJsonString())!.AsObject();
        Assert.Equal(card.ToJsonString(), roundTripped.ToJsonString());
        var button = CardText.OfType(roundTripped, "Action.Submit").First();
        Assert.Equal("req-7f3a", button["data"]!["requestId"]!.GetValue<string>());
    }

    [Fact]
    public void Printing_the_data_does_not_reveal_contact_details()
    {
        var printed = (CardSamples.Approval() with { Email = "grace.hopper@example.com" }).ToString();

        Assert.DoesNotContain("4155554567", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("grace.hopper", printed, StringComparison.Ordinal);
        Assert.Contains("MFA-0042", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void User_written_text_is_shown_as_plain_text_runs_so_markdown_links_do_not_render()
    {
        var phishing = "[Verify your identity here](https://evil.example/login) **urgent**";
        var data = CardSamples.Approval(history: [new DecisionEntry(phishing, "Denied", CardSamples.Created)]) with { Reason = phishing };

        var card = _renderer.Render(data.ToCardContent());

        AdaptiveCardSchema.Validate(card);
        Assert.Equal(phishing, ReasonRun(card));
        var markdownCarriers = CardText.OfType(card, "TextBlock").Select(t => t["text"]!.GetValue<string>());
        Assert.DoesNotContain(markdownCarriers, t => t.Contains("evil.example", StringComparison.Ordinal));
    }

    // Reason text sits in a TextRun (never markdown-processed) after the bold "Reason given: " label.
    private static string ReasonRun(System.Text.Json.Nodes.JsonObject card)
    {
        var inlines = CardText.OfType(card, "RichTextBlock").First()["inlines"]!.AsArray();
        Assert.Equal("Reason given: ", inlines[0]!["text"]!.GetValue<string>());
        return inlines[1]!["text"]!.GetValue<string>();
    }
}
