using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// The sandbox as an org whose API service app requires DPoP (PrivateKey mode). The token endpoint checks the
/// private_key_jwt client assertion (RFC 7523) against the registered public JWK, and the DPoP proof (RFC 9449),
/// demanding its nonce first; API calls need <c>Authorization: DPoP</c>, a proof for that method and URL with
/// <c>ath</c>, from the key the token is bound to (<c>cnf.jkt</c>), and the scope the operation needs.
/// Its verification is written from the RFCs independently of the bot's client code.
/// </summary>
internal sealed class SandboxOAuth(OktaSandboxOptions options, TimeProvider timeProvider)
{
    internal const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>How far a proof's iat may be from the sandbox's clock (RFC 9449 section 11.1: a short window).</summary>
    internal static readonly TimeSpan ProofWindow = TimeSpan.FromSeconds(60);

    /// <summary>Okta: a client assertion's exp is at most 1 h ahead.</summary>
    internal static readonly TimeSpan MaxAssertionLifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _assertionIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _proofIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private volatile string _tokenNonce = NewSecret(16);
    private volatile string? _apiNonce;
    private int _issued;

    /// <summary>How many access tokens the token endpoint has issued.</summary>
    public int TokensIssued => Volatile.Read(ref _issued);

    /// <summary>The token endpoint hands out a new nonce; proofs carrying the old one get 400 use_dpop_nonce.</summary>
    public void RotateTokenNonce() => _tokenNonce = NewSecret(16);

    /// <summary>From now on the API demands a (new) nonce in each proof: 401 <c>use_dpop_nonce</c> until it is used.</summary>
    public void DemandApiNonce() => _apiNonce = NewSecret(16);

    /// <summary>Every issued token expires now (test hook: the next API call is refused as invalid_token).</summary>
    public void ExpireTokens()
    {
        foreach (var (token, issued) in _tokens)
        {
            _tokens[token] = issued with { ExpiresAt = timeProvider.GetUtcNow() };
        }
    }

    /// <summary><c>POST /oauth2/v1/token</c> with client credentials.</summary>
    public SandboxReply Token(HttpRequest request, IFormCollection? form, Uri tokenUrl)
    {
        if (form is null)
        {
            return OAuthError(400, "invalid_request", "The request must be application/x-www-form-urlencoded.");
        }

        var proof = VerifyProof(request, "POST", tokenUrl, accessToken: null);
        if (proof.Error is { } proofError)
        {
            return OAuthError(400, "invalid_dpop_proof", proofError);
        }

        if (!FixedEquals(proof.Nonce, _tokenNonce))
        {
            return OAuthError(400, "use_dpop_nonce", "Authorization server requires nonce in DPoP proof.") with
            {
                Headers = new Dictionary<string, string> { ["DPoP-Nonce"] = _tokenNonce },
            };
        }

        if (Single(form, "grant_type") != "client_credentials")
        {
            return OAuthError(400, "unsupported_grant_type", "The grant type is not supported; a service app uses client_credentials.");
        }

        if (Single(form, "client_assertion_type") != JwtBearer || Single(form, "client_assertion") is not { Length: > 0 } assertion)
        {
            return OAuthError(401, "invalid_client", "Client authentication failed: a private_key_jwt client_assertion is required.");
        }

        if (Single(form, "client_id") is { } clientId && clientId != options.ClientId)
        {
            return OAuthError(401, "invalid_client", "The client_id does not match the client_assertion.");
        }

        if (VerifyAssertion(assertion, tokenUrl) is { } assertionError)
        {
            return OAuthError(401, "invalid_client", assertionError);
        }

        var requested = (Single(form, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requested.Length == 0)
        {
            return OAuthError(400, "invalid_scope", "The scope parameter is required for client_credentials.");
        }

        var notGranted = requested.Where(s => !options.GrantedScopes.Contains(s, StringComparer.Ordinal)).ToArray();
        if (notGranted.Length > 0)
        {
            return OAuthError(400, "invalid_scope", "The following scopes are not allowed: " + string.Join(", ", notGranted));
        }

        var token = NewSecret(32);
        _tokens[token] = new IssuedToken(proof.Thumbprint!, [.. requested], timeProvider.GetUtcNow() + options.AccessTokenLifetime);
        Interlocked.Increment(ref _issued);
        return new SandboxReply(200, new JsonObject
        {
            ["token_type"] = "DPoP",
            ["expires_in"] = (int)options.AccessTokenLifetime.TotalSeconds,
            ["access_token"] = token,
            ["scope"] = string.Join(' ', requested),
        })
        {
            Headers = new Dictionary<string, string> { ["Cache-Control"] = "no-store", ["Pragma"] = "no-cache" },
        };
    }

    /// <summary>An API call: null when it may proceed, else Okta's refusal.</summary>
    public SandboxReply? AuthorizeApiCall(HttpRequest request, Uri requestUrl, string? operationId)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("DPoP ", StringComparison.Ordinal))
        {
            // An SSWS token (or a bearer use of a bound token, RFC 9449 section 7.1) is not accepted by this org.
            return ApiError(401, "E0000011", "Invalid token provided", "invalid_token", "The access token must be sent with the DPoP scheme.");
        }

        var accessToken = authorization["DPoP ".Length..].Trim();
        if (!_tokens.TryGetValue(accessToken, out var issued) || timeProvider.GetUtcNow() >= issued.ExpiresAt)
        {
            return ApiError(401, "E0000011", "Invalid token provided", "invalid_token", "The access token is invalid or has expired.");
        }

        var proof = VerifyProof(request, request.Method, requestUrl, accessToken);
        if (proof.Error is { } proofError)
        {
            return ApiError(401, "E0000011", "Invalid token provided", "invalid_dpop_proof", proofError);
        }

        if (!FixedEquals(proof.Thumbprint, issued.Thumbprint))
        {
            return ApiError(401, "E0000011", "Invalid token provided", "invalid_dpop_proof", "The DPoP proof was not signed by the key the access token is bound to.");
        }

        if (_apiNonce is { } nonce && !FixedEquals(proof.Nonce, nonce))
        {
            var refusal = ApiError(401, "E0000011", "Invalid token provided", "use_dpop_nonce", "Resource server requires nonce in DPoP proof.");
            return refusal with { Headers = new Dictionary<string, string>(refusal.Headers!) { ["DPoP-Nonce"] = nonce } };
        }

        if (SandboxScopes.For(operationId) is { } scope && !issued.Scopes.Contains(scope, StringComparer.Ordinal))
        {
            return ApiError(403, "E0000006", "You do not have permission to perform the requested action", "insufficient_scope",
                $"The access token lacks the {scope} scope.");
        }

        return null;
    }

    /// <summary>RFC 7523 section 3 and Okta: RS256 with the registered key, iss = sub = client id, aud = the token URL, exp within 1 h, a jti never seen.</summary>
    private string? VerifyAssertion(string assertion, Uri tokenUrl)
    {
        if (Decode(assertion) is not { } jwt)
        {
            return "The client_assertion is not a signed JWT.";
        }

        var key = options.ClientPublicKey!;
        if (jwt.Header["alg"]?.GetValue<string>() != "RS256")
        {
            return "The client_assertion must be signed with RS256.";
        }

        if (jwt.Header["kid"]?.GetValue<string>() is { } kid && kid != key.Kid)
        {
            return "The client_assertion's kid does not match a key registered for the client.";
        }

        using (var rsa = RSA.Create(key.ToRsaParameters(includePrivate: false)))
        {
            if (!rsa.VerifyData(jwt.SigningInput, jwt.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return "The client_assertion signature is invalid.";
            }
        }

        var claims = jwt.Payload;
        if (Text(claims, "iss") != options.ClientId || Text(claims, "sub") != options.ClientId)
        {
            return "The client_assertion's iss and sub must both be the client id.";
        }

        var audience = claims["aud"];
        var audiences = audience is JsonArray many ? many.Select(a => a?.ToString()).ToArray() : [audience?.ToString()];
        if (!audiences.Any(a => a is not null && Uri.TryCreate(a, UriKind.Absolute, out var aud) && aud == tokenUrl))
        {
            return "The audience claim for client_assertion must be the endpoint invoked for the request.";
        }

        var now = timeProvider.GetUtcNow();
        if (Seconds(claims, "exp") is not { } exp)
        {
            return "The client_assertion has no exp claim.";
        }

        if (exp <= now)
        {
            return "The client_assertion token is expired.";
        }

        if (exp > now + MaxAssertionLifetime + ProofWindow)
        {
            return "The client_assertion's exp is more than one hour in the future.";
        }

        if (Text(claims, "jti") is not { Length: > 0 } jti)
        {
            return "The client_assertion has no jti claim.";
        }

        Forget(_assertionIds, now);
        if (!_assertionIds.TryAdd(jti, exp))
        {
            return "The client_assertion token has already been used (jti replay).";
        }

        return null;
    }

    /// <summary>RFC 9449 section 4.3: one well-formed proof, typ dpop+jwt, ES256 with its own public jwk, htm/htu of this request, a fresh iat, a new jti, ath for a token.</summary>
    private ProofCheck VerifyProof(HttpRequest request, string method, Uri url, string? accessToken)
    {
        var headers = request.Headers["DPoP"];
        if (headers.Count != 1 || string.IsNullOrEmpty(headers[0]))
        {
            return ProofCheck.Refused("The DPoP proof JWT header is missing (exactly one DPoP header is required).");
        }

        if (Decode(headers[0]!) is not { } jwt)
        {
            return ProofCheck.Refused("The DPoP proof is not a signed JWT.");
        }

        if (Text(jwt.Header, "typ") != "dpop+jwt")
        {
            return ProofCheck.Refused("The DPoP proof's typ must be dpop+jwt.");
        }

        if (Text(jwt.Header, "alg") != "ES256")
        {
            return ProofCheck.Refused("The DPoP proof must be signed with ES256.");
        }

        if (jwt.Header["jwk"] is not JsonObject jwk || Text(jwk, "kty") != "EC" || Text(jwk, "crv") != "P-256" ||
            Text(jwk, "x") is not { } x || Text(jwk, "y") is not { } y || jwk.ContainsKey("d"))
        {
            return ProofCheck.Refused("The DPoP proof's jwk header must be a public P-256 EC key.");
        }

        try
        {
            using var ec = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(x), Y = Base64UrlEncoder.DecodeBytes(y) },
            });
            if (!ec.VerifyData(jwt.SigningInput, jwt.Signature, HashAlgorithmName.SHA256))
            {
                return ProofCheck.Refused("The DPoP proof signature is invalid.");
            }
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
        {
            return ProofCheck.Refused("The DPoP proof's jwk is not a valid P-256 key.");
        }

        var claims = jwt.Payload;
        if (Text(claims, "htm") != method)
        {
            return ProofCheck.Refused($"The DPoP proof's htm does not match the request method {method}.");
        }

        if (Text(claims, "htu") is not { } htu || !Uri.TryCreate(htu, UriKind.Absolute, out var target) ||
            target.GetLeftPart(UriPartial.Path) != url.GetLeftPart(UriPartial.Path) || target.Query.Length > 0 || target.Fragment.Length > 0)
        {
            return ProofCheck.Refused("The DPoP proof's htu does not match the request URL (without query and fragment).");
        }

        var now = timeProvider.GetUtcNow();
        if (Seconds(claims, "iat") is not { } iat || iat < now - ProofWindow || iat > now + ProofWindow)
        {
            return ProofCheck.Refused("The DPoP proof's iat is missing or outside the accepted time window.");
        }

        if (accessToken is not null &&
            !FixedEquals(Text(claims, "ath"), Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)))))
        {
            return ProofCheck.Refused("The DPoP proof's ath does not match the access token.");
        }

        if (Text(claims, "jti") is not { Length: > 0 } jti)
        {
            return ProofCheck.Refused("The DPoP proof has no jti claim.");
        }

        Forget(_proofIds, now);
        if (!_proofIds.TryAdd(jti, iat + ProofWindow))
        {
            return ProofCheck.Refused("The DPoP proof has already been used (jti replay).");
        }

        // RFC 7638 thumbprint of the EC key: the required members in lexicographic order, no whitespace.
        var thumbprint = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{x}\",\"y\":\"{y}\"}}")));
        return new ProofCheck(null, thumbprint, Text(claims, "nonce"));
    }

    private static DecodedJwt? Decode(string compact)
    {
        var parts = compact.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(Base64UrlEncoder.Decode(parts[0])) is JsonObject header &&
                JsonNode.Parse(Base64UrlEncoder.Decode(parts[1])) is JsonObject payload)
            {
                return new DecodedJwt(header, payload, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlEncoder.DecodeBytes(parts[2]));
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or ArgumentException)
        {
            return null;
        }

        return null;
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static DateTimeOffset? Seconds(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static string? Single(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;

    private static bool FixedEquals(string? a, string? b) =>
        a is not null && b is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static void Forget(ConcurrentDictionary<string, DateTimeOffset> seen, DateTimeOffset now)
    {
        foreach (var (id, until) in seen)
        {
            if (until + ProofWindow < now)
            {
                seen.TryRemove(id, out _);
            }
        }
    }

    private static string NewSecret(int bytes) => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>The OAuth error shape of Okta's /token: <c>{error, error_description}</c>.</summary>
    private static SandboxReply OAuthError(int status, string error, string description) =>
        new(status, new JsonObject { ["error"] = error, ["error_description"] = description })
        {
            Headers = new Dictionary<string, string> { ["Cache-Control"] = "no-store" },
        };

    /// <summary>Okta's API error body, with the DPoP challenge of RFC 9449 section 7.1 in WWW-Authenticate.</summary>
    private static SandboxReply ApiError(int status, string code, string summary, string error, string description) =>
        SandboxReply.Error(status, code, summary, description) with
        {
            Headers = new Dictionary<string, string>
            {
                ["WWW-Authenticate"] = $"DPoP algs=\"ES256\", error=\"{error}\", error_description=\"{description}\"",
            },
        };

    private sealed record IssuedToken(string Thumbprint, string[] Scopes, DateTimeOffset ExpiresAt);

    private sealed record DecodedJwt(JsonObject Header, JsonObject Payload, byte[] SigningInput, byte[] Signature);

    private sealed record ProofCheck(string? Error, string? Thumbprint, string? Nonce)
    {
        public static ProofCheck Refused(string error) => new(error, null, null);
    }
}
