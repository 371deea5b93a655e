using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Tests.Teams.Fakes;

/// <summary>An RSA key the fake OpenID endpoint publishes, with the channels it is endorsed for.</summary>
public sealed class TestSigningKey(string keyId, params string[] endorsements) : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public string KeyId { get; } = keyId;

    public IReadOnlyList<string> Endorsements { get; } = endorsements;

    public SigningCredentials Credentials(string algorithm = SecurityAlgorithms.RsaSha256) =>
        new(new RsaSecurityKey(_rsa) { KeyId = KeyId }, algorithm);

    /// <summary>The key as a JWKS entry, shaped like login.botframework.com's (kty, use, kid, n, e, endorsements).</summary>
    public JsonObject Jwk()
    {
        var parameters = _rsa.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (Endorsements.Count > 0)
        {
            jwk["endorsements"] = new JsonArray(Endorsements.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray());
        }

        return jwk;
    }

    public void Dispose() => _rsa.Dispose();
}
