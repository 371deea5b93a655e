using ChatOpsMfa.Okta;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOpsMfa.Telemetry;

/// <summary>
/// Ready when Okta accepts the bot's credentials. Okta's answers to real calls decide; only when there has been none
/// for <see cref="ProbeAfter"/> does the check ask Okta itself (one <c>listUsers?limit=1</c>), so a load balancer
/// polling every few seconds never adds to the bot's rate limit.
/// </summary>
internal sealed class OktaHealthCheck(
    OktaEndpoint endpoint, OktaCredentialState credentials, IHttpClientFactory httpClients, TimeProvider time) : IHealthCheck
{
    internal static readonly TimeSpan ProbeAfter = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _probe = new(1, 1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(endpoint.ApiToken))
        {
            return HealthCheckResult.Unhealthy("No Okta credentials are configured.");
        }

        if (credentials.Last is not { } last || time.GetUtcNow() - last.At >= ProbeAfter)
        {
            await ProbeAsync(cancellationToken);
            last = credentials.Last;
        }

        return last switch
        {
            null => HealthCheckResult.Unhealthy("Okta did not answer."),
            { Refused: true } => HealthCheckResult.Unhealthy("Okta refused the bot's credentials (HTTP 401)."),
            { Status: >= 500 } => HealthCheckResult.Degraded($"Okta answered HTTP {last.Status}."),
            _ => HealthCheckResult.Healthy(endpoint.IsSandbox ? "The Okta sandbox accepts the bot's token." : "Okta accepts the bot's credentials."),
        };
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        await _probe.WaitAsync(cancellationToken);
        try
        {
            // Another check may have probed while this one waited.
            if (credentials.Last is { } last && time.GetUtcNow() - last.At < ProbeAfter)
            {
                return;
            }

            // The Okta pipeline's innermost handler records the answer in OktaCredentialState.
            using var response = await httpClients.CreateClient(OktaClient.HttpClientName)
                .GetAsync(new Uri("api/v1/users?limit=1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // Counted as status 0 by the handler; the check reports what was last seen.
        }
        finally
        {
            _probe.Release();
        }
    }
}
