using ChatOpsMfa.Channels;
using QRCoder;

namespace ChatOpsMfa.Cards;

/// <summary>QR pictures the bot draws itself (no outside service ever sees what they hold), and the otpauth URI for a TOTP key.</summary>
public static class QrCodeImage
{
    /// <summary>A PNG QR code holding <paramref name="content"/>, small enough for a Teams card.</summary>
    public static ChatImage Render(string content, string altText, string fileName)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(4);
        return new ChatImage(png, altText, fileName);
    }

    /// <summary>Google Authenticator's Key Uri Format: <c>otpauth://totp/{issuer}:{account}?secret=…&amp;issuer=…</c>.</summary>
    public static string TotpUri(string issuer, string accountName, string base32Secret)
    {
        if (issuer.Contains(':', StringComparison.Ordinal) || accountName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("Neither the issuer nor the account name may contain a colon (the label separator).");
        }

        var label = Uri.EscapeDataString(issuer) + ":" + Uri.EscapeDataString(accountName);
        return $"otpauth://totp/{label}?secret={Uri.EscapeDataString(base32Secret.TrimEnd('='))}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";
    }
}
