using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Tests.Cards;

public sealed class QrCodeImageTests
{
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    [Theory]
    [InlineData("otpauth://totp/ChatOpsMfa:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=ChatOpsMfa&algorithm=SHA1&digits=6&period=30")]
    [InlineData("oktaverify://enroll?s=http%3A%2F%2F127.0.0.1%3A5000&f=opfbtzzrjgwauUsxO0g4&t=00Ji8qVBNJD4LmjYy1WZO2VbNqvvPdaCVua-1qjypa")]
    [InlineData("Zoë Ünïcode — 二维码")]
    public void Render_produces_a_PNG_whose_QR_code_holds_exactly_the_content(string content)
    {
        var image = QrCodeImage.Render(content, "Setup QR code", "setup.png");

        Assert.Equal([137, 80, 78, 71, 13, 10, 26, 10], image.Png.AsSpan(0, 8).ToArray());
        Assert.Equal(content, PngTestReader.DecodeQr(image.Png));
        Assert.Equal("Setup QR code", image.AltText);
        Assert.Equal("setup.png", image.FileName);
    }

    [Fact]
    public void Two_contents_give_two_different_codes()
    {
        var first = QrCodeImage.Render(QrCodeImage.TotpUri("ChatOpsMfa", "alice@example.com", Secret), "QR", "a.png");
        var second = QrCodeImage.Render(QrCodeImage.TotpUri("ChatOpsMfa", "alice@example.com", "KRSXG5CTMVRXEZLU"), "QR", "b.png");

        Assert.NotEqual(PngTestReader.DecodeQr(first.Png), PngTestReader.DecodeQr(second.Png));
        Assert.Contains("secret=KRSXG5CTMVRXEZLU&", PngTestReader.DecodeQr(second.Png), StringComparison.Ordinal);
    }

    [Fact]
    public void An_otpauth_QR_for_a_long_login_stays_well_under_8_KB_and_is_big_enough_to_scan()
    {
        var uri = QrCodeImage.TotpUri("ChatOpsMfa Help Desk", "firstname.middlename.lastname+mfa-recovery@subsidiary.example.com", Secret);

        var image = QrCodeImage.Render(uri, "QR", "totp.png");
        var (width, height, _) = PngTestReader.ReadLuminance(image.Png);

        Assert.True(image.Png.Length < 8 * 1024, $"{image.Png.Length} bytes");
        Assert.True(image.DataUri.Length < 12 * 1024, $"data URI {image.DataUri.Length} characters");
        Assert.Equal(width, height);
        Assert.InRange(width, 150, 600);
        Assert.Equal(uri, PngTestReader.DecodeQr(image.Png));
    }

    [Fact]
    public void TotpUri_follows_the_Key_Uri_Format_with_percent_encoded_label_and_issuer()
    {
        var uri = QrCodeImage.TotpUri("ACME Co", "alice+mfa test@example.com", Secret);

        Assert.Equal(
            "otpauth://totp/ACME%20Co:alice%2Bmfa%20test%40example.com?secret=" + Secret + "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
            uri);
    }

    [Fact]
    public void TotpUri_label_and_parameters_read_back_as_the_originals()
    {
        var uri = new Uri(QrCodeImage.TotpUri("ACME & Sons, Inc.", "o'brien+x y@example.com", Secret));

        var label = uri.AbsolutePath.TrimStart('/');
        var colon = label.IndexOf(':', StringComparison.Ordinal);
        var query = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));

        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        Assert.Equal("ACME & Sons, Inc.", Uri.UnescapeDataString(label[..colon]));
        Assert.Equal("o'brien+x y@example.com", Uri.UnescapeDataString(label[(colon + 1)..]));
        Assert.Equal(["secret", "issuer", "algorithm", "digits", "period"], query.Keys);
        Assert.Equal("ACME & Sons, Inc.", query["issuer"]);
        Assert.Equal((Secret, "SHA1", "6", "30"), (query["secret"], query["algorithm"], query["digits"], query["period"]));
    }

    [Fact]
    public void TotpUri_drops_base32_padding_and_upper_cases_the_secret()
    {
        var uri = QrCodeImage.TotpUri("ChatOpsMfa", "alice@example.com", "jbswy3dpehpk3pxp====");

        Assert.Contains("?secret=JBSWY3DPEHPK3PXP&", uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ACME:Corp", "alice@example.com", "issuer")]
    [InlineData("ACME", "acme:alice@example.com", "accountName")]
    [InlineData(" ", "alice@example.com", "issuer")]
    [InlineData("ACME", "", "accountName")]
    public void TotpUri_refuses_a_colon_or_an_empty_part_in_the_label(string issuer, string account, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => QrCodeImage.TotpUri(issuer, account, Secret));

        Assert.Equal(parameter, error.ParamName);
    }

    [Theory]
    [InlineData("JBSWY3DPEHPK3PX1")]
    [InlineData("JBSWY3DP EHPK3PXP")]
    [InlineData("JBSWY3DPEHPK3PXP&issuer=Evil")]
    public void TotpUri_refuses_a_secret_that_is_not_base32_without_quoting_it(string secret)
    {
        var error = Assert.Throws<ArgumentException>(() => QrCodeImage.TotpUri("ChatOpsMfa", "alice@example.com", secret));

        Assert.Equal("base32Secret", error.ParamName);
        Assert.DoesNotContain("JBSWY3DP", error.Message, StringComparison.Ordinal);
    }
}
