namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// The Teams channel's settings. The Bot Framework keys are read from the configuration root under the SDK's own
/// names (<c>MicrosoftAppId</c>, <c>MicrosoftAppPassword</c>, ...) so an Azure Bot's App Service settings work as-is.
/// </summary>
public sealed class TeamsOptions
{
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string DefaultTokenIssuer = "https://api.botframework.com";
    public const string DefaultLoginUrl = "https://login.microsoftonline.com/botframework.com";
    public const string DefaultOAuthScope = "https://api.botframework.com";
    public const string DefaultServiceUrl = "https://smba.trafficmanager.net/teams/";

    public BotAppType AppType { get; set; } = BotAppType.MultiTenant;

    public string AppId { get; set; } = "";

    /// <summary>The client secret. Never logged, never shown.</summary>
    public string AppPassword { get; set; } = "";

    public string? AppTenantId { get; set; }

    public string OpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;

    public string TokenIssuer { get; set; } = DefaultTokenIssuer;

    public string LoginUrl { get; set; } = DefaultLoginUrl;

    public string OAuthScope { get; set; } = DefaultOAuthScope;

    /// <summary>Extra serviceUrl hosts the Connector token may be sent to (tests, sovereign clouds), matched exactly.</summary>
    public List<string> TrustedServiceUrlHosts { get; set; } = [];

    /// <summary>
    /// <c>Teams:AllowedTenants</c>: the Entra tenants whose activities a multi-tenant bot serves. Required in
    /// Production; a single-tenant bot serves <see cref="AppTenantId"/> only.
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>
    /// <c>Teams:AllowedCallers</c>: app ids (<c>azp</c>/<c>appid</c>) whose tokens from the bot's own Entra tenant are
    /// accepted besides the Bot Framework's. Empty by default: only Teams, through the Bot Framework, may call.
    /// </summary>
    public List<string> AllowedCallers { get; set; } = [];

    /// <summary><c>Teams:SupportChannelId</c>: the conversation id of the channel where approval cards go.</summary>
    public string SupportChannelId { get; set; } = "";

    /// <summary><c>Teams:ServiceUrl</c>: where to reach a conversation the bot has not heard from since it started.</summary>
    public string ServiceUrl { get; set; } = DefaultServiceUrl;

    /// <summary><c>Teams:UserEmailAttribute</c>: which member attribute is the Okta login, <c>email</c> or <c>userPrincipalName</c>.</summary>
    public string UserEmailAttribute { get; set; } = "email";

    /// <summary>The tenant the support channel lives in: the bot's own, or the only allowed one.</summary>
    public string? HomeTenantId => AppTenantId ?? (AllowedTenants.Count == 1 ? AllowedTenants[0] : null);

    /// <summary>Whether activities from <paramref name="tenantId"/> are served (an empty list outside Production: any).</summary>
    public bool ServesTenant(string tenantId) => AppType == BotAppType.SingleTenant
        ? string.Equals(tenantId, AppTenantId, StringComparison.OrdinalIgnoreCase)
        : AllowedTenants.Count == 0 || AllowedTenants.Contains(tenantId, StringComparer.OrdinalIgnoreCase);

    /// <summary>The tenant used in the token endpoint: the bot's own for single-tenant bots.</summary>
    public string TokenEndpoint
    {
        get
        {
            var login = LoginUrl.TrimEnd('/');
            if (AppType == BotAppType.SingleTenant && !string.IsNullOrWhiteSpace(AppTenantId))
            {
                login = EntraInstance + AppTenantId;
            }

            return login + "/oauth2/v2.0/token";
        }
    }

    /// <summary>The Entra authority root (<c>https://login.microsoftonline.com/</c>), taken from the login URL so sovereign clouds and tests follow it.</summary>
    public string EntraInstance => new Uri(LoginUrl).GetLeftPart(UriPartial.Authority) + "/";

    public string Scope => OAuthScope.TrimEnd('/') + "/.default";
}
