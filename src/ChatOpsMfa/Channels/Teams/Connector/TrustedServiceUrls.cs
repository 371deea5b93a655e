using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams.Connector;

/// <summary>
/// Decides where the bot's Connector token may be sent. An activity's serviceUrl comes from the wire, so without
/// this a forged or misrouted serviceUrl would receive a valid bearer token.
/// </summary>
internal sealed class TrustedServiceUrls(IOptions<TeamsOptions> options)
{
    /// <summary>The Microsoft hosts Bot Framework and Teams service URLs live under (public, government and China clouds).</summary>
    public static readonly IReadOnlyList<string> MicrosoftHosts =
    [
        "botframework.com",
        "botframework.us",
        "botframework.azure.us",
        "botframework.azure.cn",
        "trafficmanager.net",
        "teams.microsoft.com",
        "teams.microsoft.us",
        "infra.gcc.teams.microsoft.com",
        "teams.cloud.microsoft",
    ];

    public bool IsTrusted(Uri serviceUrl)
    {
        if (!serviceUrl.IsAbsoluteUri)
        {
            return false;
        }

        var host = serviceUrl.IdnHost.ToLowerInvariant();
        var extra = options.Value.TrustedServiceUrlHosts;
        if (extra.Contains(host, StringComparer.Ordinal))
        {
            // Configured hosts may be plain http only on loopback (tests); anything on a network needs TLS.
            return serviceUrl.Scheme == Uri.UriSchemeHttps || serviceUrl.IsLoopback;
        }

        return serviceUrl.Scheme == Uri.UriSchemeHttps
            && MicrosoftHosts.Any(h => host == h || host.EndsWith("." + h, StringComparison.Ordinal));
    }
}
