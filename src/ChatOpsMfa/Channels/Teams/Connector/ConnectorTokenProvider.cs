using System.Text.Json;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams.Connector;

/// <summary>
/// The bot's own access token for the Connector (client credentials against Entra). Cached until shortly before it
/// expires; when it must be renewed, one caller fetches and the others wait for that same token.
/// </summary>
internal sealed partial class ConnectorTokenProvider(
    IHttpClientFactory httpClients, IOptions<TeamsOptions> options, TimeProvider time, ILogger<ConnectorTokenProvider> logger)
{
    /// <summary>Renew this long before expiry, so a token never dies in flight.</summary>
    public const string HttpClientName = "TeamsLogin";

    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile CachedToken? _cached;

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && cached.IsFresh(time.GetUtcNow()))
        {
            return cached.Value;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && again.IsFresh(time.GetUtcNow()))
            {
                return again.Value;
            }

            var fresh = await RequestAsync(cancellationToken);
            _cached = fresh;
            return fresh.Value;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Drops <paramref name="token"/> if it is the cached one (the Connector refused it), so the next call renews.</summary>
    public void Forget(string token)
    {
        var cached = _cached;
        if (cached is not null && cached.Value == token)
        {
            _cached = null;
        }
    }

    private async Task<CachedToken> RequestAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = settings.AppId,
            ["client_secret"] = settings.AppPassword,
            ["scope"] = settings.Scope,
        });
        using var response = await httpClients.CreateClient(HttpClientName).PostAsync(settings.TokenEndpoint, form, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // Entra's error body names the problem (AADSTS700016 and friends) and never echoes the secret.
            var code = ErrorCode(body);
            LogTokenRefused(logger, settings.TokenEndpoint, (int)response.StatusCode, code);
            throw new HttpRequestException(
                $"The Connector token request to {settings.TokenEndpoint} was refused ({(int)response.StatusCode} {code}).",
                null, response.StatusCode);
        }

        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var token = root.TryGetProperty("access_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds
            : root.TryGetProperty("expires_in", out e) && e.ValueKind == JsonValueKind.String && int.TryParse(e.GetString(), out seconds) ? seconds
            : 3600;
        if (string.IsNullOrEmpty(token))
        {
            throw new HttpRequestException($"The Connector token response from {settings.TokenEndpoint} had no access_token.");
        }

        LogTokenIssued(logger, lifetime);
        return new CachedToken(token, time.GetUtcNow().AddSeconds(lifetime) - RenewBefore);
    }

    private static string ErrorCode(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                ? error.GetString()! + ErrorCodes(document.RootElement)
                : "no error code";
        }
        catch (JsonException)
        {
            return "no error code";
        }
    }

    private static string ErrorCodes(JsonElement root) =>
        root.TryGetProperty("error_codes", out var codes) && codes.ValueKind == JsonValueKind.Array
            ? " AADSTS" + string.Join(",", codes.EnumerateArray().Select(c => c.ToString()))
            : "";

    private sealed record CachedToken(string Value, DateTimeOffset RenewAt)
    {
        public bool IsFresh(DateTimeOffset now) => now < RenewAt;
    }

    [LoggerMessage(EventId = 4410, Level = LogLevel.Information, Message = "Got a Connector token valid for {Seconds} s")]
    private static partial void LogTokenIssued(ILogger logger, int seconds);

    [LoggerMessage(EventId = 4411, Level = LogLevel.Error,
        Message = "Entra refused the Connector token request at {Endpoint}: HTTP {Status}, {Code}. Check MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId")]
    private static partial void LogTokenRefused(ILogger logger, string endpoint, int status, string code);
}
