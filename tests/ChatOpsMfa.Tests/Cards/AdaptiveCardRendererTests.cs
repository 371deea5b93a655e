using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Tests.Cards;

public sealed class AdaptiveCardRendererTests
{
    private readonly AdaptiveCardRenderer _renderer = new();

    [Theory]
    [InlineData("request-form")]
    [InlineData("approval")]
    [InlineData("status")]
    [InlineData("result")]
    public void Every_template_with_empty_data_still_renders_a_valid_card(string template)
    {
        var card = _renderer.Render(new CardContent(template, []));

        AdaptiveCardSchema.Validate(card);
        Assert.DoesNotContain(CardText.AllStrings(card), s => s.Contains("${", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("../secrets")]
    [InlineData("Approval")]
    public void Unknown_templates_are_refused(string template)
    {
        Assert.Throws<ArgumentException>(() => _renderer.Render(new CardContent(template, [])));
    }

    [Fact]
    public void Rendering_twice_gives_independent_cards()
    {
        var first = _renderer.Render(CardSamples.Status().ToCardContent());
        first["body"]!.AsArray().Clear();

        var second = _renderer.Render(CardSamples.Status().ToCardContent());

        Assert.NotEmpty(second["body"]!.AsArray());
    }

    [Fact]
    public void Attachment_wraps_the_card_with_the_adaptive_card_content_type()
    {
        var card = _renderer.Render(CardSamples.Status().ToCardContent());

        var attachment = AdaptiveCardAttachment.Create(card);

        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Equal(card.ToJsonString(), attachment["content"]!.ToJsonString());
        Assert.Null(card.Parent);
    }

    [Fact]
    public void Execute_conversion_keeps_verb_data_and_style_and_stays_valid()
    {
        var card = _renderer.Render(CardSamples.Approval().ToCardContent());

        var teams = AdaptiveCardActions.UseExecute(card);

        AdaptiveCardSchema.Validate(teams);
        Assert.DoesNotContain(CardText.OfType(teams, "Action.Submit"), a => a.Parent is JsonArray);
        var approve = CardText.OfType(teams, "Action.Execute").First();
        Assert.Equal("approve", approve["verb"]!.GetValue<string>());
        Assert.Equal("""{"verb":"approve","requestId":"req-7f3a"}""", approve["data"]!.ToJsonString());
        Assert.Equal("positive", approve["style"]!.GetValue<string>());
        Assert.Equal("Action.Submit", approve["fallback"]!["type"]!.GetValue<string>());
        Assert.Equal(2, CardText.OfType(card, "Action.Submit").Count());
    }
}
