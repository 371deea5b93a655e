using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Tests.Cards;

public sealed class CardActionTests
{
    [Fact]
    public void Standard_buttons_have_the_expected_verbs_and_styles()
    {
        Assert.Equal(("approve", "positive"), (CardAction.Approve.Verb, CardAction.Approve.Style));
        Assert.Equal(("deny", "destructive"), (CardAction.Deny.Verb, CardAction.Deny.Style));
        Assert.Equal(("cancel", "default"), (CardAction.Cancel.Verb, CardAction.Cancel.Style));
        Assert.Equal(("retry", "default"), (CardAction.Retry.Verb, CardAction.Retry.Style));
    }

    [Theory]
    [InlineData("loud")]
    [InlineData("Positive")]
    [InlineData("")]
    public void Unknown_styles_are_refused(string style)
    {
        Assert.Throws<ArgumentException>(() => new CardAction("approve", "Approve", style));
    }

    [Fact]
    public void Buttons_compare_by_value()
    {
        Assert.Equal(new CardAction("deny", "Deny", "destructive"), CardAction.Deny);
    }
}
