using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Tests.Cards;

public sealed class ResultCardTests
{
    private readonly AdaptiveCardRenderer _renderer = new();

    [Fact]
    public void Totp_result_shows_factor_secret_and_the_qr_picture_embedded()
    {
        var card = _renderer.Render(CardSamples.TotpResult().ToCardContent());

        AdaptiveCardSchema.Validate(card);
        var facts = CardText.Facts(card);
        Assert.Equal("uftm3iHSGFqXsngEm0g4", facts["Factor ID"]);
        Assert.Equal("Waiting for you to finish setup", facts["Status"]);
        Assert.Equal("Google Authenticator (TOTP app)", facts["Method"]);
        Assert.Contains("JBSWY3DPEHPK3PXP", CardText.AllStrings(card));
        Assert.Empty(CardText.OfType(card, "Action.OpenUrl"));
        var qr = Assert.Single(CardText.OfType(card, "Image"));
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", qr["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(CardText.AllStrings(card), t => t.Contains("authenticator app", StringComparison.Ordinal));
    }

    [Fact]
    public void Result_without_secret_or_qr_leaves_them_out()
    {
        var data = new ResultCardData("MFA-0042", CardSamples.Sms, "mbl1nz9JHJGHWRKMTLHP", "ACTIVE",
            ActivationInstructions.For(CardSamples.Sms, "ACTIVE"));

        var card = _renderer.Render(data.ToCardContent());

        AdaptiveCardSchema.Validate(card);
        Assert.Empty(CardText.OfType(card, "Image"));
        Assert.Empty(CardText.OfType(card, "ActionSet"));
        Assert.DoesNotContain(CardText.AllStrings(card), t => t.StartsWith("Setup key", StringComparison.Ordinal));
        Assert.Equal("Active", CardText.Facts(card)["Status"]);
        Assert.Contains("SMS text message is active. Use it the next time you sign in.", CardText.AllStrings(card));
    }

    [Fact]
    public void Printing_the_data_does_not_reveal_the_secret()
    {
        var printed = CardSamples.TotpResult().ToString();

        Assert.DoesNotContain("JBSWY3DPEHPK3PXP", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("base64", printed, StringComparison.Ordinal);
        Assert.Contains("HasSharedSecret = True", printed, StringComparison.Ordinal);
    }
}
