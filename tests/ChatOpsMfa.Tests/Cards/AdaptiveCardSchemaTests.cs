using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Cards;

public sealed class AdaptiveCardSchemaTests
{
    [Fact]
    public void A_minimal_valid_card_passes()
    {
        var card = Card("""{"type":"TextBlock","text":"Hello","wrap":true}""");

        Assert.Empty(AdaptiveCardSchema.FindErrors(card));
        AdaptiveCardSchema.Validate(card);
    }

    [Theory]
    [InlineData("""{"type":"TextBlock","wrap":true}""")] // text is required
    [InlineData("""{"type":"TextBlock","text":"Hi","colour":"good"}""")] // unknown property
    [InlineData("""{"type":"Gauge","value":3}""")] // unknown element
    [InlineData("""{"type":"ActionSet","actions":[{"type":"Action.Submit","title":"Go","style":"loud"}]}""")]
    [InlineData("""{"type":"TextBlock","text":"Hi","$when":"${flag}"}""")] // unbound template keyword
    public void Invalid_cards_are_caught(string element)
    {
        var card = Card(element);

        Assert.NotEmpty(AdaptiveCardSchema.FindErrors(card));
        Assert.ThrowsAny<Exception>(() => AdaptiveCardSchema.Validate(card));
    }

    [Fact]
    public void A_card_of_the_wrong_type_is_caught()
    {
        var card = JsonNode.Parse("""{"type":"HeroCard","version":"1.5","body":[]}""")!.AsObject();

        Assert.NotEmpty(AdaptiveCardSchema.FindErrors(card));
    }

    private static JsonObject Card(string element) =>
        JsonNode.Parse($$"""{"type":"AdaptiveCard","version":"1.5","body":[{{element}}]}""")!.AsObject();
}
