using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>Why a request was or was not accepted as coming from Slack.</summary>
public enum SlackVerification
{
    Valid,
    MissingHeaders,
    BadTimestamp,
    StaleTimestamp,
    BadSignature,
    NoSecretConfigured,
}

/// <summary>
/// Slack's request signing: HMAC-SHA256 over <c>v0:{timestamp}:{raw body}</c> with the signing secret, compared in
/// constant time, and a timestamp within five minutes either way. Fails closed: no secret, no request.
/// </summary>
public sealed class SlackRequestVerifier(IOptions<SlackOptions> options, TimeProvider time)
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public SlackVerification Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body)
    {
        var secret = options.Value.SigningSecret;
        if (string.IsNullOrEmpty(secret))
        {
            return SlackVerification.NoSecretConfigured;
        }

        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return SlackVerification.MissingHeaders;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SlackVerification.BadTimestamp;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > (long)MaxClockSkew.TotalSeconds)
        {
            return SlackVerification.StaleTimestamp;
        }

        return Matches(secret, timestamp, signature, body) ? SlackVerification.Valid : SlackVerification.BadSignature;
    }

    /// <summary>The signature Slack would send: <c>v0=</c> and the lowercase hex HMAC.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var baseString = new byte[prefix.Length + body.Length];
        prefix.CopyTo(baseString, 0);
        body.CopyTo(baseString.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), baseString);
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    private static bool Matches(string secret, string timestamp, string signature, ReadOnlySpan<byte> body)
    {
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        var actual = Encoding.UTF8.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
