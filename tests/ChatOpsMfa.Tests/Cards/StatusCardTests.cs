using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Tests.Cards;

public sealed class StatusCardTests
{
    private readonly AdaptiveCardRenderer _renderer = new();

    [Fact]
    public void Status_card_shows_request_factor_status_and_next_step()
    {
        var card = _renderer.Render(CardSamples.Status().ToCardContent());

        AdaptiveCardSchema.Validate(card);
        var facts = CardText.Facts(card);
        Assert.Equal("SMS text message", facts["Method"]);
        Assert.Equal("2025-03-14 08:29 UTC", facts["Updated"]);
        var texts = CardText.AllStrings(card).ToList();
        Assert.Contains("Waiting for approval", texts);
        Assert.Contains("Your request MFA-0042", texts);
        Assert.Contains(texts, t => t.Contains("Someone from support will review", StringComparison.Ordinal));
        var cancel = Assert.Single(CardText.OfType(card, "Action.Submit"));
        Assert.Equal("""{"verb":"cancel","requestId":"req-7f3a"}""", cancel["data"]!.ToJsonString());
    }

    [Fact]
    public void Status_card_without_actions_next_step_or_time_is_still_valid()
    {
        var data = CardSamples.Status(actions: []) with { NextStep = null, UpdatedAt = null };

        var card = _renderer.Render(data.ToCardContent());

        AdaptiveCardSchema.Validate(card);
        Assert.Empty(CardText.OfType(card, "ActionSet"));
        Assert.False(CardText.Facts(card).ContainsKey("Updated"));
        Assert.DoesNotContain(CardText.AllStrings(card), t => t.Contains("What happens next", StringComparison.Ordinal));
    }

    [Fact]
    public void Status_card_with_hostile_text_stays_valid_and_literal()
    {
        var data = CardSamples.Status([CardAction.Retry, CardAction.Cancel]) with
        {
            StatusText = CardSamples.Hostile,
            NextStep = CardSamples.Hostile,
        };

        var card = _renderer.Render(data.ToCardContent());

        AdaptiveCardSchema.Validate(card);
        var status = Assert.Single(CardText.OfType(card, "TextRun"), r => r["text"]!.GetValue<string>() == CardSamples.Hostile);
        Assert.Equal("Bolder", status["weight"]!.GetValue<string>());
        Assert.Equal(["retry", "cancel"], CardText.OfType(card, "Action.Submit").Select(b => b["data"]!["verb"]!.GetValue<string>()));
    }
}
