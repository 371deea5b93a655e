using System.Text.Json;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Channels.Teams.Auth;

/// <summary>
/// The signing keys published behind one OpenID metadata document, cached. Keys are fetched once, kept for a day,
/// and fetched again early only when a token names a key id we do not know (key rotation) — and then at most once
/// per <see cref="UnknownKeyRefetchInterval"/>, so a flood of made-up key ids cannot turn into a flood of fetches.
/// </summary>
internal sealed partial class OpenIdSigningKeys(
    string metadataUrl, HttpClient http, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan MaximumAge = TimeSpan.FromHours(24);
    public static readonly TimeSpan UnknownKeyRefetchInterval = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile KeySnapshot? _snapshot;

    public string MetadataUrl => metadataUrl;

    /// <summary>The key with <paramref name="keyId"/>, or null when the metadata does not publish it (or cannot be read).</summary>
    public async Task<SigningKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && !IsStale(snapshot) && snapshot.Keys.TryGetValue(keyId, out var known))
        {
            return known;
        }

        snapshot = await RefreshAsync(snapshot, keyId, cancellationToken);
        return snapshot?.Keys.GetValueOrDefault(keyId);
    }

    private bool IsStale(KeySnapshot snapshot) => time.GetUtcNow() - snapshot.FetchedAt >= MaximumAge;

    private async Task<KeySnapshot?> RefreshAsync(KeySnapshot? seen, string keyId, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var current = _snapshot;
            // Someone else refreshed while we waited, or refreshed recently enough that an unknown kid is just unknown.
            if (current is not null && !ReferenceEquals(current, seen) && current.Keys.ContainsKey(keyId))
            {
                return current;
            }

            if (current is not null && !IsStale(current) && time.GetUtcNow() - current.FetchedAt < UnknownKeyRefetchInterval)
            {
                return current;
            }

            var fetched = await FetchAsync(cancellationToken);
            if (fetched is not null)
            {
                _snapshot = fetched;
                return fetched;
            }

            // Keep serving the keys we had rather than refusing everyone because the metadata is briefly down.
            return current;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<KeySnapshot?> FetchAsync(CancellationToken cancellationToken)
    {
        try
        {
            var metadataJson = await http.GetStringAsync(metadataUrl, cancellationToken);
            var metadata = OpenIdConnectConfiguration.Create(metadataJson);
            if (!Uri.TryCreate(metadata.JwksUri, UriKind.Absolute, out var jwksUri)
                || (jwksUri.Scheme != Uri.UriSchemeHttps && !jwksUri.IsLoopback))
            {
                LogMetadataUnusable(logger, metadataUrl, "jwks_uri is missing or not https");
                return null;
            }

            var jwksJson = await http.GetStringAsync(jwksUri, cancellationToken);
            var keys = ParseKeys(jwksJson);
            LogKeysFetched(logger, metadataUrl, keys.Count);
            return new KeySnapshot(keys, time.GetUtcNow());
        }
        catch (Exception error) when (error is HttpRequestException or JsonException or ArgumentException or TaskCanceledException
                                          && !cancellationToken.IsCancellationRequested)
        {
            LogMetadataUnusable(logger, metadataUrl, error.GetType().Name + ": " + error.Message);
            return null;
        }
    }

    private static Dictionary<string, SigningKey> ParseKeys(string jwksJson)
    {
        var keys = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(jwksJson);
        if (!document.RootElement.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            return keys;
        }

        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("kty", out var kty) || kty.GetString() != "RSA")
            {
                continue;
            }

            IReadOnlyList<string>? endorsements = null;
            if (element.TryGetProperty("endorsements", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                endorsements = list.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.String)
                    .Select(e => e.GetString()!)
                    .ToArray();
            }

            keys[kid.GetString()!] = new SigningKey(new JsonWebKey(element.GetRawText()), endorsements);
        }

        return keys;
    }

    private sealed record KeySnapshot(IReadOnlyDictionary<string, SigningKey> Keys, DateTimeOffset FetchedAt);

    [LoggerMessage(EventId = 4400, Level = LogLevel.Information, Message = "Fetched {Count} signing keys from {MetadataUrl}")]
    private static partial void LogKeysFetched(ILogger logger, string metadataUrl, int count);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Error, Message = "Could not read signing keys from {MetadataUrl}: {Problem}")]
    private static partial void LogMetadataUnusable(ILogger logger, string metadataUrl, string problem);
}
