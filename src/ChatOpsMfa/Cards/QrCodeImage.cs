using System.Text;
using ChatOpsMfa.Channels;
using QRCoder;

namespace ChatOpsMfa.Cards;

/// <summary>
/// Renders QR codes in process (QRCoder's PNG writer: no System.Drawing, no outside service), and builds the
/// <c>otpauth://</c> URI authenticator apps scan (Google Authenticator's Key Uri Format).
/// </summary>
public static class QrCodeImage
{
    /// <summary>
    /// Pixels per QR module. An otpauth URI is a version 5–7 code (37–45 modules plus the quiet zone); at 5 px that is
    /// about 250 px square, sharp on a phone camera, and a 1-bit PNG of one or two KB: far inside a Teams card's ~28 KB.
    /// </summary>
    public const int PixelsPerModule = 5;

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>A PNG QR code (error correction level M) holding exactly <paramref name="content"/>.</summary>
    public static ChatImage Render(string content, string altText, string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(altText);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);

        using var generator = new QRCodeGenerator();
        // UTF-8 with the ECI marker only when the text is not plain ASCII, so readers decode non-ASCII labels right.
        var ascii = content.All(char.IsAscii);
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.M, forceUtf8: !ascii, utf8BOM: false,
            eciMode: ascii ? QRCodeGenerator.EciMode.Default : QRCodeGenerator.EciMode.Utf8);
        var png = new PngByteQRCode(data).GetGraphic(PixelsPerModule);
        return new ChatImage(png, altText, fileName);
    }

    /// <summary>
    /// The Key Uri Format URI for a TOTP secret:
    /// <c>otpauth://totp/{issuer}:{account}?secret=…&amp;issuer=…&amp;algorithm=SHA1&amp;digits=6&amp;period=30</c>.
    /// Label parts and the issuer parameter are percent-encoded (RFC 3986). The format forbids a colon in the issuer
    /// or the account name (it separates them), so either is refused rather than silently changed.
    /// </summary>
    public static string TotpUri(string issuer, string accountName, string base32Secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(base32Secret);
        if (issuer.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("The issuer may not contain a colon (Key Uri Format).", nameof(issuer));
        }

        if (accountName.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException("The account name may not contain a colon (Key Uri Format).", nameof(accountName));
        }

        // Base32 without the optional padding, which the format says to omit. The value is never quoted back.
        var secret = base32Secret.TrimEnd('=').ToUpperInvariant();
        if (!secret.All(c => Base32Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            throw new ArgumentException("The secret is not base32 (RFC 4648).", nameof(base32Secret));
        }

        var encodedIssuer = Uri.EscapeDataString(issuer);
        return new StringBuilder("otpauth://totp/")
            .Append(encodedIssuer).Append(':').Append(Uri.EscapeDataString(accountName))
            .Append("?secret=").Append(secret)
            .Append("&issuer=").Append(encodedIssuer)
            .Append("&algorithm=SHA1&digits=6&period=30")
            .ToString();
    }
}
