using System.Net.Http.Headers;

namespace ChatOpsMfa.Okta;

/// <summary>
/// SSWS mode: adds Okta's <c>SSWS</c> API-token header unless the caller already set an Authorization header (the
/// Arazzo workflow spells out its own). PrivateKey mode: removes whatever Authorization the caller set (the
/// workflows' <c>SSWS {$inputs.oktaApiToken}</c>), so no API token can leave; <see cref="OktaDpopHandler"/> puts the
/// DPoP-bound token on each attempt. Both modes identify the bot in User-Agent.
/// </summary>
internal sealed class OktaAuthHandler(OktaEndpoint endpoint) : DelegatingHandler
{
    internal const string UserAgentProduct = "ChatOpsMfa";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (endpoint.UsesPrivateKey)
        {
            request.Headers.Authorization = null;
        }
        else if (request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("SSWS", endpoint.ApiToken);
        }

        if (!request.Headers.UserAgent.Any(p => p.Product?.Name == UserAgentProduct))
        {
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue(UserAgentProduct, ThisAssemblyVersion));
        }

        return base.SendAsync(request, cancellationToken);
    }

    internal static readonly string ThisAssemblyVersion =
        typeof(OktaAuthHandler).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
}
