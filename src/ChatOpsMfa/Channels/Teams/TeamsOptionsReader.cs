namespace ChatOpsMfa.Channels.Teams;

/// <summary>Reads <see cref="TeamsOptions"/> from the root keys and names the key that is missing or wrong.</summary>
public static class TeamsOptionsReader
{
    public static bool IsEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[TeamsConfigurationKeys.AppId]);

    public static void Read(IConfiguration configuration, TeamsOptions options)
    {
        options.AppId = configuration[TeamsConfigurationKeys.AppId]?.Trim() ?? "";
        options.AppPassword = configuration[TeamsConfigurationKeys.AppPassword] ?? "";
        options.AppTenantId = NullIfBlank(configuration[TeamsConfigurationKeys.AppTenantId]);
        if (NullIfBlank(configuration[TeamsConfigurationKeys.AppType]) is { } type)
        {
            options.AppType = Enum.TryParse<BotAppType>(type, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new InvalidOperationException(
                    $"{TeamsConfigurationKeys.AppType} must be MultiTenant or SingleTenant (it is '{type}').");
        }

        options.OpenIdMetadataUrl = NullIfBlank(configuration[TeamsConfigurationKeys.OpenIdMetadataUrl]) ?? TeamsOptions.DefaultOpenIdMetadataUrl;
        options.TokenIssuer = NullIfBlank(configuration[TeamsConfigurationKeys.TokenIssuer]) ?? TeamsOptions.DefaultTokenIssuer;
        options.LoginUrl = NullIfBlank(configuration[TeamsConfigurationKeys.LoginUrl]) ?? TeamsOptions.DefaultLoginUrl;
        options.OAuthScope = NullIfBlank(configuration[TeamsConfigurationKeys.OAuthScope]) ?? TeamsOptions.DefaultOAuthScope;
        options.SupportChannelId = configuration[TeamsConfigurationKeys.SupportChannelId]?.Trim() ?? "";
        options.ServiceUrl = NullIfBlank(configuration[TeamsConfigurationKeys.ServiceUrl]) ?? TeamsOptions.DefaultServiceUrl;
        options.UserEmailAttribute = NullIfBlank(configuration[TeamsConfigurationKeys.UserEmailAttribute]) ?? "email";
        options.TrustedServiceUrlHosts = ReadList(configuration, TeamsConfigurationKeys.TrustedServiceUrlHosts);
        options.AllowedTenants = ReadList(configuration, TeamsConfigurationKeys.AllowedTenants);
        options.AllowedCallers = ReadList(configuration, TeamsConfigurationKeys.AllowedCallers);
    }

    /// <summary>The problems that must stop startup, each naming its key. Empty when the settings are usable.</summary>
    public static IReadOnlyList<string> Problems(TeamsOptions options, bool isProduction = false)
    {
        var problems = new List<string>();
        if (options.AppType == BotAppType.UserAssignedMSI)
        {
            problems.Add($"{TeamsConfigurationKeys.AppType} UserAssignedMSI is not supported; use MultiTenant or SingleTenant with {TeamsConfigurationKeys.AppPassword}.");
        }

        if (string.IsNullOrWhiteSpace(options.AppPassword))
        {
            problems.Add($"{TeamsConfigurationKeys.AppPassword} is required when {TeamsConfigurationKeys.AppId} is set.");
        }

        if (options.AppType == BotAppType.SingleTenant && string.IsNullOrWhiteSpace(options.AppTenantId))
        {
            problems.Add($"{TeamsConfigurationKeys.AppTenantId} is required when {TeamsConfigurationKeys.AppType} is SingleTenant.");
        }

        if (options.AppType == BotAppType.MultiTenant && options.AllowedTenants.Count == 0 && isProduction)
        {
            problems.Add($"{TeamsConfigurationKeys.AllowedTenants} is required in Production for a MultiTenant bot: list the Entra tenant ids it serves.");
        }

        foreach (var tenant in options.AllowedTenants.Where(t => !Guid.TryParse(t, out _)))
        {
            problems.Add($"{TeamsConfigurationKeys.AllowedTenants} entries must be Entra tenant ids (GUIDs); '{tenant}' is not.");
        }

        foreach (var caller in options.AllowedCallers.Where(c => !Guid.TryParse(c, out _)))
        {
            problems.Add($"{TeamsConfigurationKeys.AllowedCallers} entries must be app ids (GUIDs); '{caller}' is not.");
        }

        if (options.AllowedCallers.Count > 0 && string.IsNullOrWhiteSpace(options.AppTenantId))
        {
            problems.Add($"{TeamsConfigurationKeys.AllowedCallers} needs {TeamsConfigurationKeys.AppTenantId}: callers are accepted from the bot's own tenant only.");
        }

        if (string.IsNullOrWhiteSpace(options.SupportChannelId))
        {
            problems.Add($"{TeamsConfigurationKeys.SupportChannelId} is required: the conversation id of the channel where approval cards go.");
        }

        foreach (var (key, value) in new[]
                 {
                     (TeamsConfigurationKeys.OpenIdMetadataUrl, options.OpenIdMetadataUrl),
                     (TeamsConfigurationKeys.LoginUrl, options.LoginUrl),
                     (TeamsConfigurationKeys.ServiceUrl, options.ServiceUrl),
                 })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback))
            {
                problems.Add($"{key} must be an absolute https URL.");
            }
        }

        if (options.UserEmailAttribute is not ("email" or "userPrincipalName"))
        {
            problems.Add($"{TeamsConfigurationKeys.UserEmailAttribute} must be 'email' or 'userPrincipalName'.");
        }

        return problems;
    }

    // App Service settings are flat strings, so accept "a.com,b.com" as well as an array section.
    private static List<string> ReadList(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.Value is { } flat
            ? flat.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value ?? "");
        return values.Where(v => v.Length > 0).Select(v => v.Trim().ToLowerInvariant()).Distinct().ToList();
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
