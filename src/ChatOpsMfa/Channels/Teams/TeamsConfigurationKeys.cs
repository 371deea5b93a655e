namespace ChatOpsMfa.Channels.Teams;

/// <summary>The configuration keys, spelled as the Bot Framework SDK spells them (root level, no section).</summary>
public static class TeamsConfigurationKeys
{
    public const string AppType = "MicrosoftAppType";
    public const string AppId = "MicrosoftAppId";
    public const string AppPassword = "MicrosoftAppPassword";
    public const string AppTenantId = "MicrosoftAppTenantId";
    public const string OpenIdMetadataUrl = "ToBotFromChannelOpenIdMetadataUrl";
    public const string TokenIssuer = "ToBotFromChannelTokenIssuer";
    public const string LoginUrl = "ToChannelFromBotLoginUrl";
    public const string OAuthScope = "ToChannelFromBotOAuthScope";
    public const string TrustedServiceUrlHosts = "TrustedServiceUrlHosts";
    public const string SupportChannelId = "Teams:SupportChannelId";
    public const string ServiceUrl = "Teams:ServiceUrl";
    public const string UserEmailAttribute = "Teams:UserEmailAttribute";
    public const string AllowedTenants = "Teams:AllowedTenants";
    public const string AllowedCallers = "Teams:AllowedCallers";
}
