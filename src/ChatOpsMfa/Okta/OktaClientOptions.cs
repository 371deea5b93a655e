namespace ChatOpsMfa.Okta;

/// <summary>
/// How the bot reaches Okta. Bound from <c>Okta:Client</c>, the section and key names the Okta .NET SDK uses,
/// so an existing <c>Okta__Client__OrgUrl</c> / <c>Okta__Client__Token</c> setup works unchanged.
/// </summary>
public sealed class OktaClientOptions
{
    public const string SectionName = "Okta:Client";

    /// <summary>The org's base URL, e.g. https://example.okta.com.</summary>
    public string? OrgUrl { get; set; }

    /// <summary>SSWS API token (SSWS mode only). Never logged or shown.</summary>
    public string? Token { get; set; }

    /// <summary><c>SSWS</c> (an API token, the default) or <c>PrivateKey</c> (an OAuth 2.0 service app with DPoP).</summary>
    public OktaAuthorizationMode AuthorizationMode { get; set; } = OktaAuthorizationMode.SSWS;

    /// <summary>The service app's client id (PrivateKey mode).</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth scopes the bot asks for (PrivateKey mode), e.g. okta.users.manage.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>The service app's RSA private key as a JWK (PrivateKey mode). A secret: never logged or shown.</summary>
    public OktaJsonWebKey? PrivateKey { get; set; }

    /// <summary>How many times a 429 answer is retried (Okta SDK default: 2).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The longest wait for a rate-limit window to reset before giving up instead of retrying.</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(65);

    /// <summary>How long one request may take before Okta counts as unreachable.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
