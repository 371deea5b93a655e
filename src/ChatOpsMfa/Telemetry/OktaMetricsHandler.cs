namespace ChatOpsMfa.Telemetry;

/// <summary>
/// The innermost handler of the Okta pipeline: counts every attempt that reached Okta by operation and status (so a
/// 429 the rate-limit handler retried is still seen), remembers Okta's last word on the credentials for the readiness
/// check, and names the operation for the HTTP trace (whose URL would otherwise carry user and factor ids).
/// </summary>
internal sealed class OktaMetricsHandler(ChatOpsMfaMetrics metrics, OktaCredentialState credentials) : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<string> OperationKey = new("chatopsmfa.okta.operation");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = OktaOperations.Resolve(request.Method, request.RequestUri?.AbsolutePath ?? "/");
        request.Options.Set(OperationKey, operation);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // No answer: status 0, so an unreachable Okta shows up next to its refusals.
            metrics.OktaCall(operation, 0);
            throw;
        }

        var status = (int)response.StatusCode;
        metrics.OktaCall(operation, status);
        credentials.Observed(status);
        return response;
    }
}
