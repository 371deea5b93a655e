using System.Text.Json;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Channels.Teams.Auth;

/// <summary>
/// The signing keys published behind one OpenID metadata document, cached. A token whose key we hold is checked at
/// once, always: when the keys are a day old a refresh starts in the background and the old keys keep serving until
/// it succeeds, however long the metadata is down. A key id we do not know (rotation) waits for one shared fetch,
/// and fetches are throttled (<see cref="UnknownKeyRefetchInterval"/> after a success, <see cref="RetryAfterFailure"/>
/// after a failure), so neither made-up key ids nor an outage can queue traffic behind the metadata endpoint.
/// </summary>
internal sealed partial class OpenIdSigningKeys(
    string metadataUrl, HttpClient http, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan MaximumAge = TimeSpan.FromHours(24);
    public static readonly TimeSpan UnknownKeyRefetchInterval = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private volatile KeySnapshot? _snapshot;
    private Task<KeySnapshot?>? _inFlight;
    private DateTimeOffset _nextFetchAllowed = DateTimeOffset.MinValue;

    public string MetadataUrl => metadataUrl;

    /// <summary>The key with <paramref name="keyId"/>, or null when the metadata does not publish it (or cannot be read).</summary>
    public async Task<SigningKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && snapshot.Keys.TryGetValue(keyId, out var known))
        {
            if (IsStale(snapshot))
            {
                _ = StartFetch(); // in the background: this caller does not wait for it
            }

            return known;
        }

        if (StartFetch() is not { } fetch)
        {
            return null; // fetched (or failed) too recently: an unknown kid is just unknown
        }

        var fresh = await fetch.WaitAsync(cancellationToken);
        return (fresh ?? _snapshot)?.Keys.GetValueOrDefault(keyId);
    }

    /// <summary>
    /// True once keys are held (for the readiness check). Without them a fetch starts, throttled as for an unknown key
    /// id, so a health poller cannot hammer the metadata endpoint.
    /// </summary>
    public async Task<bool> LoadedAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is not null)
        {
            return true;
        }

        return StartFetch() is { } fetch && await fetch.WaitAsync(cancellationToken) is not null;
    }

    private bool IsStale(KeySnapshot snapshot) => time.GetUtcNow() - snapshot.FetchedAt >= MaximumAge;

    /// <summary>The fetch under way, a new one when allowed, or null when throttled.</summary>
    private Task<KeySnapshot?>? StartFetch()
    {
        lock (_gate)
        {
            if (_inFlight is { IsCompleted: false } running)
            {
                return running;
            }

            var now = time.GetUtcNow();
            if (now < _nextFetchAllowed)
            {
                return null;
            }

            _nextFetchAllowed = now + RetryAfterFailure;
            _inFlight = FetchAndKeepAsync();
            return _inFlight;
        }
    }

    // Never cancelled by one caller: others share it. The HttpClient's timeout bounds it.
    private async Task<KeySnapshot?> FetchAndKeepAsync()
    {
        await Task.Yield();
        var fetched = await FetchAsync(CancellationToken.None);
        if (fetched is not null)
        {
            _snapshot = fetched;
            lock (_gate)
            {
                _nextFetchAllowed = fetched.FetchedAt + UnknownKeyRefetchInterval;
            }
        }

        return fetched;
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
                                          or InvalidOperationException && !cancellationToken.IsCancellationRequested)
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
