using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsMfa.Tests.Teams.Fakes;

/// <summary>Mints tokens shaped like the ones the Bot Framework Connector sends to a bot.</summary>
public static class BotTokens
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The Bot Framework's own app id, the caller in every channel token.</summary>
    public const string BotFrameworkAppId = "d6d49420-f39b-4df7-a1dc-d59a935871db";

    public static string Create(
        TestSigningKey key,
        string serviceUrl,
        string issuer = BotFrameworkIssuer,
        string audience = FakeBotFramework.AppId,
        DateTime? expires = null,
        string algorithm = SecurityAlgorithms.RsaSha256,
        string appId = BotFrameworkAppId,
        string? tenantId = null,
        bool withServiceUrl = true)
    {
        var now = DateTime.UtcNow;
        var expiry = expires ?? now.AddMinutes(60);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            NotBefore = expiry.AddMinutes(-60) < now ? expiry.AddMinutes(-60) : now.AddMinutes(-1),
            IssuedAt = expiry.AddMinutes(-60) < now ? expiry.AddMinutes(-60) : now.AddMinutes(-1),
            Expires = expiry,
            Subject = new ClaimsIdentity(Claims(serviceUrl, appId, tenantId, withServiceUrl)),
            SigningCredentials = key.Credentials(algorithm),
        });
    }

    private static List<Claim> Claims(string serviceUrl, string appId, string? tenantId, bool withServiceUrl)
    {
        List<Claim> claims = [new("appid", appId), new("azp", appId)];
        if (withServiceUrl)
        {
            claims.Add(new Claim("serviceurl", serviceUrl));
        }

        if (tenantId is not null)
        {
            claims.Add(new Claim("tid", tenantId));
        }

        return claims;
    }

    /// <summary>A token signed with HMAC under a shared secret: must never be accepted, whatever the secret.</summary>
    public static string CreateHs256(string serviceUrl) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = BotFrameworkIssuer,
            Audience = FakeBotFramework.AppId,
            Expires = DateTime.UtcNow.AddMinutes(30),
            Subject = new ClaimsIdentity([new Claim("serviceurl", serviceUrl)]),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(FakeBotFramework.AppPassword.PadRight(64, 'x'))) { KeyId = "hmac" },
                SecurityAlgorithms.HmacSha256),
        });

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise perfect claims.</summary>
    public static string CreateUnsigned(string keyId, string serviceUrl)
    {
        var header = Base64UrlEncoder.Encode($$"""{"alg":"none","typ":"JWT","kid":"{{keyId}}"}""");
        var exp = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode(
            $$"""{"iss":"{{BotFrameworkIssuer}}","aud":"{{FakeBotFramework.AppId}}","exp":{{exp}},"serviceurl":"{{serviceUrl}}"}""");
        return header + "." + payload + ".";
    }
}
