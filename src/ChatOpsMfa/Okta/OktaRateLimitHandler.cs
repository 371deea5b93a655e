using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Okta;

/// <summary>
/// Retries Okta's 429 answers after the rate-limit window resets, a bounded number of times, telling Okta which
/// request is being retried (<c>X-Okta-Retry-For</c>, <c>X-Okta-Retry-Count</c>) as the official SDKs do.
/// Only 429 is retried: it means Okta did not process the request, so even a POST (reset, enrol) is safe to repeat.
/// A 5xx or a timeout may hide a reset that did happen, so those are never retried here.
/// </summary>
internal sealed partial class OktaRateLimitHandler(
    IOptions<OktaClientOptions> options,
    TimeProvider timeProvider,
    ILogger<OktaRateLimitHandler> logger) : DelegatingHandler
{
    internal const string RetryForHeader = "X-Okta-Retry-For";
    internal const string RetryCountHeader = "X-Okta-Retry-Count";
    internal const string RequestIdHeader = "X-Okta-Request-Id";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var maxRetries = options.Value.MaxRetries;
        if (request.Content is not null && maxRetries > 0)
        {
            // The same content is sent again on a retry, so it must be readable more than once.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= maxRetries)
            {
                return response;
            }

            var wait = OktaRateLimitDelay.Compute(response, timeProvider.GetUtcNow());
            if (wait is null || wait > options.Value.MaxRetryWait)
            {
                LogNotRetried(logger, request.Method, request.RequestUri?.AbsolutePath, wait);
                return response;
            }

            var requestId = response.Headers.TryGetValues(RequestIdHeader, out var ids) ? ids.FirstOrDefault() : null;
            response.Dispose();

            LogRetrying(logger, request.Method, request.RequestUri?.AbsolutePath, wait.Value, attempt + 1, maxRetries);
            await Task.Delay(wait.Value, timeProvider, cancellationToken).ConfigureAwait(false);

            request.Headers.Remove(RetryForHeader);
            request.Headers.Remove(RetryCountHeader);
            if (!string.IsNullOrEmpty(requestId))
            {
                request.Headers.TryAddWithoutValidation(RetryForHeader, requestId);
            }

            request.Headers.TryAddWithoutValidation(RetryCountHeader, (attempt + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Okta rate limit hit on {Method} {Path}; retry {Attempt} of {MaxRetries} in {Wait}")]
    private static partial void LogRetrying(ILogger logger, HttpMethod method, string? path, TimeSpan wait, int attempt, int maxRetries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Okta rate limit hit on {Method} {Path}; not retried (window resets in {Wait})")]
    private static partial void LogNotRetried(ILogger logger, HttpMethod method, string? path, TimeSpan? wait);
}
