using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams.Connector;

/// <summary>
/// Decides where the bot's Connector token may be sent. An activity's serviceUrl comes from the wire, so without
/// this a forged or misrouted serviceUrl would receive a valid bearer token.
/// </summary>
internal sealed class TrustedServiceUrls(IOptions<TeamsOptions> options)
{
    /// <summary>
    /// The hosts Teams serves bots from, exactly: the public cloud's (every region, <c>/teams/</c>, <c>/emea/</c>, ...,
    /// is a path on it) and the US government clouds' (GCC, GCC High, DoD). Never a parent domain: anyone with an
    /// Azure subscription can create a name under <c>trafficmanager.net</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> TeamsHosts =
    [
        "smba.trafficmanager.net",
        "smba.infra.gcc.teams.microsoft.com",
        "smba.infra.gov.teams.microsoft.us",
        "smba.infra.dod.teams.microsoft.us",
    ];

    public bool IsTrusted(Uri serviceUrl)
    {
        if (!serviceUrl.IsAbsoluteUri || !string.IsNullOrEmpty(serviceUrl.UserInfo))
        {
            return false;
        }

        var host = serviceUrl.IdnHost.ToLowerInvariant();
        if (options.Value.TrustedServiceUrlHosts.Contains(host, StringComparer.Ordinal))
        {
            // Configured hosts may be plain http only on loopback (tests); anything on a network needs TLS.
            return serviceUrl.Scheme == Uri.UriSchemeHttps || serviceUrl.IsLoopback;
        }

        return serviceUrl.Scheme == Uri.UriSchemeHttps && serviceUrl.IsDefaultPort && TeamsHosts.Contains(host, StringComparer.Ordinal);
    }
}
