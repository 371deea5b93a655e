using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ChatOpsMfa.Audit;

/// <summary>
/// Checks an <c>Authorization: Bearer &lt;key&gt;</c> header against <c>Audit:ApiKeys</c>. Keys are compared as
/// SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>, against every configured key, so
/// neither a key's length nor its position in the list shows in the response time. No keys: nothing is accepted.
/// </summary>
public sealed class AuditApiKeyVerifier
{
    private const string Scheme = "Bearer";
    private readonly byte[][] _digests;

    public AuditApiKeyVerifier(IOptions<AuditExportOptions> options)
    {
        _digests = options.Value.ApiKeys.Select(key => Digest(key.Trim())).ToArray();
    }

    public bool Enabled => _digests.Length > 0;

    public int KeyCount => _digests.Length;

    public AuditKeyCheck Check(StringValues authorization)
    {
        if (!Enabled)
        {
            return new(AuditKeyOutcome.ExportDisabled);
        }

        if (ReadBearerKey(authorization) is not { } presented)
        {
            return new(AuditKeyOutcome.NoBearerKey);
        }

        var digest = Digest(presented);
        var matched = 0;
        for (var i = 0; i < _digests.Length; i++)
        {
            // No early exit: every key is compared whatever the outcome.
            var equal = CryptographicOperations.FixedTimeEquals(digest, _digests[i]);
            matched = equal ? i + 1 : matched;
        }

        return matched > 0 ? new(AuditKeyOutcome.Accepted, matched) : new(AuditKeyOutcome.UnknownKey);
    }

    /// <summary>The key of a single <c>Bearer</c> credential (scheme case-insensitive, RFC 9110), or null.</summary>
    private static string? ReadBearerKey(StringValues authorization)
    {
        if (authorization.Count != 1 || authorization[0] is not { } value)
        {
            return null;
        }

        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !value.AsSpan(0, space).Equals(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var key = value[(space + 1)..].Trim();
        return key.Length == 0 ? null : key;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
