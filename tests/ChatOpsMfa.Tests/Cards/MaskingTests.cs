using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Tests.Cards;

public sealed class MaskingTests
{
    [Theory]
    [InlineData("+14155554567", "+1 ••• ••• 4567")]
    [InlineData("+1 (415) 555-4567", "+1 ••• ••• 4567")]
    [InlineData("+447911123456", "+44 ••• ••• 3456")]
    [InlineData("+4915123456789", "+49 ••• ••• 6789")]
    [InlineData("+79161234567", "+7 ••• ••• 4567")]
    [InlineData("+353851234567", "+353 ••• ••• 4567")]
    [InlineData("+97150123456", "+971 ••• ••• 3456")]
    public void Phone_shows_only_country_code_and_last_four_digits(string phone, string expected)
    {
        Assert.Equal(expected, PhoneMasking.Mask(phone));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("4155554567")]
    [InlineData("+1555")]
    [InlineData("+04155554567")]
    [InlineData("+1415555abcd")]
    [InlineData("+12345678901234567")]
    public void Anything_that_is_not_an_e164_number_is_hidden_entirely(string? phone)
    {
        Assert.Equal("•••", PhoneMasking.Mask(phone));
    }

    [Fact]
    public void Phone_mask_does_not_reveal_the_number_length()
    {
        Assert.Equal(PhoneMasking.Mask("+14155554567").Length, PhoneMasking.Mask("+1415554567").Length);
    }

    [Theory]
    [InlineData("alice@example.com", "a•••@example.com")]
    [InlineData(" Bob.Smith@mail.example.org ", "B•••@mail.example.org")]
    [InlineData("x@y.z", "x•••@y.z")]
    public void Email_shows_first_character_and_domain(string email, string expected)
    {
        Assert.Equal(expected, EmailMasking.Mask(email));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("@example.com")]
    [InlineData("alice@")]
    public void Malformed_email_is_hidden_entirely(string? email)
    {
        Assert.Equal("•••", EmailMasking.Mask(email));
    }
}
