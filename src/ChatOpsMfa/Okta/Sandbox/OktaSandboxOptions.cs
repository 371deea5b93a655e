namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>The in-process fake Okta, bound from <c>Okta:Sandbox</c>. Only for local mode and tests.</summary>
public sealed class OktaSandboxOptions
{
    public const string SectionName = "Okta:Sandbox";

    public const string DefaultToken = "sandbox-token";

    public bool Enabled { get; set; }

    /// <summary>The address the sandbox listens on. Only loopback addresses are accepted.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>The SSWS token the sandbox accepts (SSWS mode); anything else gets Okta's 401 E0000011.</summary>
    public string Token { get; set; } = DefaultToken;

    /// <summary>
    /// <c>SSWS</c> (the default: the API takes <see cref="Token"/>) or <c>PrivateKey</c>: the sandbox is an org with
    /// an OAuth service app that requires DPoP; <c>/oauth2/v1/token</c> issues DPoP-bound tokens and any SSWS token is refused.
    /// </summary>
    public OktaAuthorizationMode AuthorizationMode { get; set; } = OktaAuthorizationMode.SSWS;

    /// <summary>The service app's client id (PrivateKey mode).</summary>
    public string? ClientId { get; set; }

    /// <summary>The service app's public key as a JWK (kty RSA, kid, n, e), as registered in Okta (PrivateKey mode).</summary>
    public OktaJsonWebKey? ClientPublicKey { get; set; }

    /// <summary>The scopes granted to the service app (PrivateKey mode); a token request for any other is refused.</summary>
    public List<string> GrantedScopes { get; set; } = [];

    /// <summary>How long an access token lives (Okta: 1 h).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
