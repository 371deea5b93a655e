using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), so the sandbox can check an activation code like Okta does.</summary>
internal static class SandboxTotp
{
    public static string Code(string base32Secret, DateTimeOffset at, int digits = 6, int timeStepSeconds = 30)
    {
        var counter = at.ToUnixTimeSeconds() / timeStepSeconds;
        Span<byte> message = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, counter);
        var hash = HMACSHA1.HashData(Base32Decode(base32Secret), message);
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7FFFFFFF) % (int)Math.Pow(10, digits);
        return binary.ToString(new string('0', digits), CultureInfo.InvariantCulture);
    }

    /// <summary>Accepts the current code and its neighbours, allowing for clock drift as Okta does.</summary>
    public static bool Matches(string base32Secret, string? passCode, DateTimeOffset now) =>
        passCode is not null &&
        new[] { -30, 0, 30 }.Any(shift => CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(Code(base32Secret, now.AddSeconds(shift))),
            System.Text.Encoding.ASCII.GetBytes(passCode)));

    internal static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.TrimEnd('=').ToUpperInvariant();
        var bytes = new List<byte>(clean.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException("Not a base32 string.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. bytes];
    }
}
