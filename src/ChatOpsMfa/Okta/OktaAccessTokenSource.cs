using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Okta;

/// <summary>
/// Gets the bot's access tokens in PrivateKey mode: client credentials at <c>{OrgUrl}/oauth2/v1/token</c>,
/// authenticated with a private_key_jwt assertion (RFC 7523) and bound to the DPoP key (RFC 9449). One token is
/// cached until shortly before it expires, and concurrent callers wait for the same token request.
/// Also remembers the nonces the token endpoint and the API hand out in <c>DPoP-Nonce</c>.
/// </summary>
internal sealed partial class OktaAccessTokenSource : IDisposable
{
    public const string HttpClientName = "okta-oauth-token";

    internal const string ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>A token is replaced this long before Okta's expires_in runs out, so no request carries an expiring one.</summary>
    internal static readonly TimeSpan RefreshBefore = TimeSpan.FromSeconds(60);

    /// <summary>The client assertion's lifetime: short, it is used once (Okta allows up to 1 h).</summary>
    internal static readonly TimeSpan AssertionLifetime = TimeSpan.FromMinutes(5);

    private readonly OktaEndpoint _endpoint;
    private readonly OktaClientOptions _options;
    private readonly OktaDpopProofs _proofs;
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<OktaAccessTokenSource> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly Lazy<(RSA Rsa, SigningCredentials Credentials)> _signingKey;
    private volatile OktaAccessToken? _current;
    private volatile string? _tokenNonce;
    private volatile string? _apiNonce;

    public OktaAccessTokenSource(
        OktaEndpoint endpoint,
        IOptions<OktaClientOptions> options,
        OktaDpopProofs proofs,
        IHttpClientFactory clients,
        TimeProvider timeProvider,
        ILogger<OktaAccessTokenSource> logger)
    {
        _endpoint = endpoint;
        _options = options.Value;
        _proofs = proofs;
        _clients = clients;
        _timeProvider = timeProvider;
        _logger = logger;
        _signingKey = new Lazy<(RSA, SigningCredentials)>(() =>
        {
            // The options validator has proved the key complete and consistent at startup.
            var key = _options.PrivateKey!;
            var rsa = RSA.Create(key.ToRsaParameters(includePrivate: true));
            return (rsa, new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = key.Kid }, SecurityAlgorithms.RsaSha256));
        });
    }

    /// <summary>The nonce the API asked for last (RFC 9449 section 9), for the next proof sent to it.</summary>
    public string? ApiNonce
    {
        get => _apiNonce;
        set => _apiNonce = value;
    }

    /// <summary>The DPoP proof for one API request with this token.</summary>
    public string ProofFor(HttpMethod method, Uri url, string accessToken) => _proofs.Create(method, url, _apiNonce, accessToken);

    /// <summary>A valid access token: the cached one, or a new one (one token request however many callers wait).</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (Usable(_current) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Usable(_current) is { } fetched)
            {
                return fetched;
            }

            var token = await RequestAsync(cancellationToken).ConfigureAwait(false);
            _current = token;
            return token.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops <paramref name="accessToken"/> if it is still the cached one (Okta refused it), so the next call gets a new one.</summary>
    public void Forget(string accessToken)
    {
        var current = _current;
        if (current is not null && string.Equals(current.Value, accessToken, StringComparison.Ordinal))
        {
            // A racing refresh may already have replaced it; dropping a fresh token would only cost one more request.
            _current = null;
        }
    }

    private string? Usable(OktaAccessToken? token) => token is not null && _timeProvider.GetUtcNow() < token.UseUntil ? token.Value : null;

    private async Task<OktaAccessToken> RequestAsync(CancellationToken cancellationToken)
    {
        var tokenUrl = _endpoint.TokenUrl;
        var http = _clients.CreateClient(HttpClientName);
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
            {
                Content = new FormUrlEncodedContent(
                [
                    new("grant_type", "client_credentials"),
                    new("scope", string.Join(' ', _options.Scopes)),
                    new("client_assertion_type", ClientAssertionType),
                    new("client_assertion", ClientAssertion(tokenUrl)),
                ]),
            };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue(OktaAuthHandler.UserAgentProduct, OktaAuthHandler.ThisAssemblyVersion));
            request.Headers.TryAddWithoutValidation("DPoP", _proofs.Create(HttpMethod.Post, tokenUrl, _tokenNonce, accessToken: null));

            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var nonce = NonceOf(response);
            if (nonce is not null)
            {
                _tokenNonce = nonce;
            }

            using var body = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            var error = StringMember(body, "error");
            if (response.StatusCode == HttpStatusCode.BadRequest && error == "use_dpop_nonce" && nonce is not null && attempt == 0)
            {
                LogNonceDemanded(_logger, "token endpoint");
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var description = StringMember(body, "error_description");
                LogTokenRefused(_logger, (int)response.StatusCode, error, description);
                throw new HttpRequestException(
                    $"Okta refused the bot's access-token request at {tokenUrl}: {(int)response.StatusCode} {error ?? "(no error code)"}" +
                    (description is null ? "" : $" ({description})") +
                    ". Check Okta:Client:ClientId, Okta:Client:Scopes and the service app's public key and DPoP setting (docs/okta-oauth.md).",
                    null,
                    response.StatusCode);
            }

            var accessToken = StringMember(body, "access_token");
            var tokenType = StringMember(body, "token_type");
            var expiresIn = body?.RootElement.TryGetProperty("expires_in", out var e) == true && e.TryGetInt32(out var seconds) ? seconds : 0;
            if (string.IsNullOrEmpty(accessToken) || !string.Equals(tokenType, "DPoP", StringComparison.OrdinalIgnoreCase) || expiresIn <= 0)
            {
                // A Bearer token would not be bound to our key: refuse it rather than hold a stealable credential.
                throw new HttpRequestException(
                    $"Okta's token endpoint answered without a DPoP-bound access token (token_type {tokenType ?? "missing"}, expires_in {expiresIn}); the service app must require DPoP.");
            }

            var lifetime = TimeSpan.FromSeconds(expiresIn);
            var useFor = lifetime > RefreshBefore * 2 ? lifetime - RefreshBefore : lifetime / 2;
            LogTokenObtained(_logger, expiresIn, StringMember(body, "scope") ?? "");
            return new OktaAccessToken(accessToken, _timeProvider.GetUtcNow() + useFor);
        }
    }

    /// <summary>RFC 7523 section 3: iss = sub = the client id, aud = the token endpoint, a short exp, a unique jti; RS256 with the JWK's kid.</summary>
    private string ClientAssertion(Uri tokenUrl)
    {
        var now = _timeProvider.GetUtcNow();
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.ClientId,
            Audience = tokenUrl.ToString(),
            IssuedAt = now.UtcDateTime,
            Expires = (now + AssertionLifetime).UtcDateTime,
            Claims = new Dictionary<string, object>
            {
                ["sub"] = _options.ClientId!,
                ["jti"] = Guid.NewGuid().ToString("N"),
            },
            SigningCredentials = _signingKey.Value.Credentials,
        });
    }

    internal static string? NonceOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("DPoP-Nonce", out var values) && values.FirstOrDefault() is { Length: > 0 } nonce ? nonce : null;

    private static async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringMember(JsonDocument? document, string name) =>
        document?.RootElement.ValueKind == JsonValueKind.Object &&
        document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose()
    {
        _gate.Dispose();
        if (_signingKey.IsValueCreated)
        {
            _signingKey.Value.Rsa.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Okta access token obtained (DPoP-bound, expires in {ExpiresIn} s, scopes {Scopes})")]
    private static partial void LogTokenObtained(ILogger logger, int expiresIn, string scopes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Okta's {Server} asked for a DPoP nonce; retrying once with it")]
    internal static partial void LogNonceDemanded(ILogger logger, string server);

    [LoggerMessage(Level = LogLevel.Error, Message = "Okta refused the access-token request: {Status} {Error} {Description}")]
    private static partial void LogTokenRefused(ILogger logger, int status, string? error, string? description);
}
