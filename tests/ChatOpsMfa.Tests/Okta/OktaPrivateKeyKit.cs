using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Okta.Sandbox;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// A service app for PrivateKey-mode tests: a fresh RSA key, the bot's settings (the private JWK) and the
/// sandbox's (the public JWK, as registered in Okta), plus helpers an attacker's test needs (own DPoP proofs, JWT reading).
/// </summary>
internal sealed class OktaPrivateKeyKit : IDisposable
{
    public const string ClientId = "0oa1svcChatOpsMfa7x2";
    public const string KeyId = "chatopsmfa-key-1";

    /// <summary>The scopes docs/okta-oauth.md names for the bot's calls.</summary>
    public static readonly string[] BotScopes = ["okta.users.manage", "okta.users.read", "okta.roles.read", "okta.logs.read"];

    private readonly RSA _rsa = RSA.Create(2048);

    public RSAParameters Key => _rsa.ExportParameters(includePrivateParameters: true);

    /// <summary>The private members as base64url, to search logs and errors for.</summary>
    public IReadOnlyList<string> PrivateMembers => [B64(Key.D!), B64(Key.P!), B64(Key.Q!), B64(Key.DP!), B64(Key.DQ!), B64(Key.InverseQ!)];

    /// <summary>The bot's settings: Okta:Client in PrivateKey mode.</summary>
    public Dictionary<string, string?> ClientSettings(IEnumerable<string>? scopes = null)
    {
        var key = Key;
        var settings = new Dictionary<string, string?>
        {
            ["Okta:Client:AuthorizationMode"] = "PrivateKey",
            ["Okta:Client:ClientId"] = ClientId,
            ["Okta:Client:PrivateKey:kty"] = "RSA",
            ["Okta:Client:PrivateKey:kid"] = KeyId,
            ["Okta:Client:PrivateKey:n"] = B64(key.Modulus!),
            ["Okta:Client:PrivateKey:e"] = B64(key.Exponent!),
            ["Okta:Client:PrivateKey:d"] = B64(key.D!),
            ["Okta:Client:PrivateKey:p"] = B64(key.P!),
            ["Okta:Client:PrivateKey:q"] = B64(key.Q!),
            ["Okta:Client:PrivateKey:dp"] = B64(key.DP!),
            ["Okta:Client:PrivateKey:dq"] = B64(key.DQ!),
            ["Okta:Client:PrivateKey:qi"] = B64(key.InverseQ!),
        };
        var i = 0;
        foreach (var scope in scopes ?? BotScopes)
        {
            settings[$"Okta:Client:Scopes:{i++}"] = scope;
        }

        return settings;
    }

    /// <summary>The sandbox's settings (inside the host): the service app with the public JWK, requiring DPoP.</summary>
    public Dictionary<string, string?> SandboxSettings()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Okta:Sandbox:AuthorizationMode"] = "PrivateKey",
            ["Okta:Sandbox:ClientId"] = ClientId,
            ["Okta:Sandbox:ClientPublicKey:kty"] = "RSA",
            ["Okta:Sandbox:ClientPublicKey:kid"] = KeyId,
            ["Okta:Sandbox:ClientPublicKey:n"] = B64(Key.Modulus!),
            ["Okta:Sandbox:ClientPublicKey:e"] = B64(Key.Exponent!),
        };
        for (var i = 0; i < BotScopes.Length; i++)
        {
            settings[$"Okta:Sandbox:GrantedScopes:{i}"] = BotScopes[i];
        }

        return settings;
    }

    /// <summary>Both, for a host whose in-process sandbox is the org.</summary>
    public Dictionary<string, string?> HostSettings() => ClientSettings().Concat(SandboxSettings()).ToDictionary();

    /// <summary>A standalone sandbox's options in PrivateKey mode.</summary>
    public OktaSandboxOptions SandboxOptions(TimeSpan? tokenLifetime = null) => new()
    {
        AuthorizationMode = OktaAuthorizationMode.PrivateKey,
        ClientId = ClientId,
        ClientPublicKey = new OktaJsonWebKey { Kty = "RSA", Kid = KeyId, N = B64(Key.Modulus!), E = B64(Key.Exponent!) },
        GrantedScopes = [.. BotScopes],
        AccessTokenLifetime = tokenLifetime ?? TimeSpan.FromHours(1),
    };

    /// <summary>A host's settings pointed at a standalone sandbox as at a real org.</summary>
    public Dictionary<string, string?> PointedAt(OktaSandbox sandbox)
    {
        var settings = ClientSettings();
        settings["Okta:Client:OrgUrl"] = sandbox.BaseUrl!.ToString();
        settings["Okta:Client:MaxRetries"] = "2";
        return settings;
    }

    public static string B64(byte[] bytes) => Base64UrlEncoder.Encode(bytes);

    /// <summary>The header and payload of a compact JWT, unverified.</summary>
    public static (JsonObject Header, JsonObject Payload) Read(string jwt)
    {
        var parts = jwt.Split('.');
        return (JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject(), JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject());
    }

    /// <summary>An attacker's (or a test's) own DPoP proof, signed with <paramref name="key"/>.</summary>
    public static string Proof(ECDsa key, string method, Uri url, DateTimeOffset now, string? nonce = null, string? accessToken = null)
    {
        var q = key.ExportParameters(false).Q;
        var header = new JsonObject
        {
            ["typ"] = "dpop+jwt",
            ["alg"] = "ES256",
            ["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(q.X!), ["y"] = B64(q.Y!) },
        };
        var payload = new JsonObject
        {
            ["htm"] = method,
            ["htu"] = url.GetLeftPart(UriPartial.Path),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (nonce is not null)
        {
            payload["nonce"] = nonce;
        }

        if (accessToken is not null)
        {
            payload["ath"] = B64(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return input + "." + B64(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    /// <summary>The form fields of a recorded token request.</summary>
    public static Dictionary<string, string> Form(RecordedOktaRequest request) =>
        request.Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(
            p => Uri.UnescapeDataString(p[0].Replace('+', ' ')),
            p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));

    public static long Seconds(JsonObject claims, string name) => claims[name]!.GetValue<long>();

    public void Dispose() => _rsa.Dispose();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"service app {ClientId}");
}
