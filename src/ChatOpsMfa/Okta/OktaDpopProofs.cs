using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Okta;

/// <summary>
/// The bot's DPoP key (RFC 9449): an EC P-256 key pair made when the process starts and never written anywhere, and
/// the proof JWT it signs for each HTTP request (typ <c>dpop+jwt</c>, ES256, the public key in the <c>jwk</c> header).
/// </summary>
internal sealed class OktaDpopProofs : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly SigningCredentials _credentials;
    private readonly Dictionary<string, object> _publicJwk;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TimeProvider _timeProvider;

    public OktaDpopProofs(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _credentials = new SigningCredentials(new ECDsaSecurityKey(_key), SecurityAlgorithms.EcdsaSha256);
        var point = _key.ExportParameters(includePrivateParameters: false).Q;
        _publicJwk = new Dictionary<string, object>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(point.X),
            ["y"] = Base64UrlEncoder.Encode(point.Y),
        };
    }

    /// <summary>
    /// A proof for one request: <c>htm</c>, <c>htu</c> (the URL without query and fragment), <c>iat</c>, a fresh
    /// <c>jti</c>, the server's <c>nonce</c> once it gave one, and <c>ath</c> when an access token goes with it.
    /// </summary>
    public string Create(HttpMethod method, Uri url, string? nonce, string? accessToken)
    {
        var claims = new Dictionary<string, object>
        {
            ["htm"] = method.Method,
            ["htu"] = TargetUri(url),
            ["iat"] = _timeProvider.GetUtcNow().ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (!string.IsNullOrEmpty(nonce))
        {
            claims["nonce"] = nonce;
        }

        if (accessToken is not null)
        {
            claims["ath"] = AccessTokenHash(accessToken);
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "dpop+jwt",
            Claims = claims,
            SigningCredentials = _credentials,
            AdditionalHeaderClaims = new Dictionary<string, object> { ["jwk"] = _publicJwk },
        });
    }

    /// <summary>RFC 9449 section 4.2: htu is the target URI without query and fragment parts.</summary>
    internal static string TargetUri(Uri url) => url.GetLeftPart(UriPartial.Path);

    /// <summary>RFC 9449 section 4.2: ath is the base64url SHA-256 of the ASCII access token.</summary>
    internal static string AccessTokenHash(string accessToken) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    public void Dispose() => _key.Dispose();
}
