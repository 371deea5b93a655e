using ChatOpsMfa.Okta.Sandbox;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Okta;

/// <summary>
/// Which Okta the bot talks to: the configured org, or the in-process sandbox when it is enabled and no OrgUrl is
/// set. Also the single place that knows which API token goes with that base URL.
/// </summary>
public sealed class OktaEndpoint
{
    private readonly OktaClientOptions _client;
    private readonly OktaSandboxOptions _sandboxOptions;
    private readonly OktaSandbox? _sandbox;

    public OktaEndpoint(IOptions<OktaClientOptions> client, IOptions<OktaSandboxOptions> sandboxOptions, OktaSandbox? sandbox = null)
    {
        _client = client.Value;
        _sandboxOptions = sandboxOptions.Value;
        _sandbox = sandbox;
    }

    /// <summary>True when requests go to the in-process fake Okta.</summary>
    public bool IsSandbox => string.IsNullOrWhiteSpace(_client.OrgUrl) && _sandboxOptions.Enabled;

    /// <summary>The base URL in use. In sandbox mode it is known once the sandbox has started.</summary>
    public Uri BaseUrl
    {
        get
        {
            if (!IsSandbox)
            {
                return new Uri(_client.OrgUrl!.TrimEnd('/') + "/");
            }

            return _sandbox?.BaseUrl ?? throw new InvalidOperationException(
                "Okta:Sandbox:Enabled is true but the sandbox has not started yet; it starts with the host.");
        }
    }

    /// <summary>
    /// What the Arazzo workflows' <c>oktaApiToken</c> input gets. SSWS mode: the token for <see cref="BaseUrl"/>, a
    /// secret never to log or display. PrivateKey mode: <see cref="NoApiToken"/>, which is no credential at all; the
    /// auth handler replaces the whole Authorization header with a DPoP-bound access token.
    /// </summary>
    public string ApiToken => UsesPrivateKey ? NoApiToken
        : IsSandbox ? (_client.Token is { Length: > 0 } token ? token : _sandboxOptions.Token) : _client.Token!;

    /// <summary>The placeholder the workflows' SSWS header carries in PrivateKey mode; never sent (the handler replaces the header).</summary>
    public const string NoApiToken = "none-oauth-private-key-mode";

    /// <summary><c>Okta:Client:AuthorizationMode</c>: true when the bot uses the OAuth service app with DPoP.</summary>
    public bool UsesPrivateKey => _client.AuthorizationMode == OktaAuthorizationMode.PrivateKey;

    /// <summary>The org authorization server's token endpoint, <c>{OrgUrl}/oauth2/v1/token</c>.</summary>
    public Uri TokenUrl => new(BaseUrl, "oauth2/v1/token");

    public override string ToString() => IsSandbox ? $"Okta sandbox ({_sandbox?.BaseUrl})" : $"Okta org {BaseUrl}";
}
