using ChatOpsMfa.Cards;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Tests.Cards;

public sealed class RequestFormCardTests
{
    private readonly AdaptiveCardRenderer _renderer = new();

    [Fact]
    public void Form_offers_every_catalogue_pair_and_the_contact_fields()
    {
        var card = _renderer.Render(RequestFormCard.Create(FactorCatalog.All,
            securityQuestions: [new SecurityQuestionChoice("disliked_food", "What is the food you least liked as a child?")]));

        AdaptiveCardSchema.Validate(card);
        var factorInput = CardText.OfType(card, "Input.ChoiceSet").Single(i => i["id"]!.GetValue<string>() == RequestFormInputs.Factor);
        var offered = factorInput["choices"]!.AsArray().Select(c => RequestFormCard.ParseChoice(c!["value"]!.GetValue<string>())).ToList();
        Assert.Equal(FactorCatalog.All.Cast<FactorKind?>(), offered);
        var inputIds = CardText.OfType(card, "Input.Text").Select(i => i["id"]!.GetValue<string>()).ToList();
        Assert.Equal([RequestFormInputs.PhoneNumber, RequestFormInputs.Email, RequestFormInputs.SecurityAnswer], inputIds);
        var phone = CardText.OfType(card, "Input.Text").First();
        Assert.Contains("only for SMS or voice call", phone["label"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("+14155550123", phone["placeholder"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("tel", phone["style"]!.GetValue<string>());
        var submit = Assert.Single(CardText.OfType(card, "Action.Submit"));
        Assert.Equal("""{"verb":"submitRequest","onBehalfOf":""}""", submit["data"]!.ToJsonString());
    }

    [Fact]
    public void Pairs_okta_would_refuse_are_never_offered()
    {
        var card = _renderer.Render(RequestFormCard.Create(
        [
            new FactorKind("sms", "GOOGLE", "Made up", FactorProfileNeed.PhoneNumber),
            new FactorKind("token:software:totp", "OKTA", "Okta Verify (TOTP code)", FactorProfileNeed.None),
        ]));

        AdaptiveCardSchema.Validate(card);
        var choice = Assert.Single(CardText.OfType(card, "Input.ChoiceSet").Single()["choices"]!.AsArray());
        Assert.Equal("token:software:totp|OKTA", choice!["value"]!.GetValue<string>());
        Assert.Empty(CardText.OfType(card, "Input.Text"));
    }

    [Fact]
    public void Security_question_is_not_offered_without_questions_to_choose_from()
    {
        var card = _renderer.Render(RequestFormCard.Create([FactorCatalog.Find("question", "OKTA")!, CardSamples.Sms]));

        AdaptiveCardSchema.Validate(card);
        var values = CardText.OfType(card, "Input.ChoiceSet").Single()["choices"]!.AsArray().Select(c => c!["value"]!.GetValue<string>());
        Assert.Equal(["sms|OKTA"], values);
        Assert.Equal([RequestFormInputs.PhoneNumber], CardText.OfType(card, "Input.Text").Select(i => i["id"]!.GetValue<string>()));
    }

    [Fact]
    public void Error_is_shown_at_the_top_when_given()
    {
        var card = _renderer.Render(RequestFormCard.Create([CardSamples.Sms], error: "That phone number is not in international format."));

        AdaptiveCardSchema.Validate(card);
        Assert.Contains("That phone number is not in international format.", CardText.AllStrings(card));
        Assert.Single(CardText.OfType(card, "Container"));
    }

    [Fact]
    public void No_error_means_no_error_box()
    {
        var card = _renderer.Render(RequestFormCard.Create([CardSamples.Sms]));

        Assert.Empty(CardText.OfType(card, "Container"));
    }

    [Fact]
    public void An_empty_allowed_list_still_renders_a_valid_form()
    {
        var card = _renderer.Render(RequestFormCard.Create([], error: CardSamples.Hostile));

        AdaptiveCardSchema.Validate(card);
        Assert.Contains(CardSamples.Hostile, CardText.AllStrings(card));
    }

    [Theory]
    [InlineData("sms|OKTA", "sms", "OKTA")]
    [InlineData("token:software:totp|GOOGLE", "token:software:totp", "GOOGLE")]
    [InlineData(" webauthn | fido ", "webauthn", "FIDO")]
    public void Submitted_choices_parse_back_to_catalogue_pairs(string value, string factorType, string provider)
    {
        var kind = RequestFormCard.ParseChoice(value);

        Assert.NotNull(kind);
        Assert.Equal((factorType, provider), (kind.FactorType, kind.Provider));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sms")]
    [InlineData("sms|GOOGLE")]
    [InlineData("sms|OKTA|extra")]
    public void Submitted_choices_okta_would_refuse_parse_to_null(string? value)
    {
        Assert.Null(RequestFormCard.ParseChoice(value));
    }
}
