using System.Globalization;
using System.Net.Http.Headers;

namespace ChatOpsMfa.Okta;

/// <summary>
/// How long to wait after Okta's 429 before retrying, computed as okta-sdk-dotnet's DefaultRetryPolicy does:
/// the earliest <c>X-Rate-Limit-Reset</c> (UTC epoch seconds) minus the response's <c>Date</c>, plus one second.
/// Using Okta's own Date rather than the local clock keeps clock skew out of the calculation.
/// </summary>
internal static class OktaRateLimitDelay
{
    internal const string ResetHeader = "X-Rate-Limit-Reset";

    /// <summary>The wait, or null when the answer does not say when the window resets.</summary>
    public static TimeSpan? Compute(HttpResponseMessage response, DateTimeOffset now)
    {
        var reset = EarliestReset(response.Headers);
        if (reset is null)
        {
            return null;
        }

        var serverNow = response.Headers.Date ?? now;
        var wait = reset.Value - serverNow + TimeSpan.FromSeconds(1);
        // A reset already in the past (the window rolled over in flight) still gets the SDK's one second.
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }

    private static DateTimeOffset? EarliestReset(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues(ResetHeader, out var values))
        {
            return null;
        }

        // Okta may send the header more than once (one per limit that applies); the earliest reset wins.
        var seconds = values
            .SelectMany(v => v.Split(','))
            .Select(v => long.TryParse(v.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : (long?)null)
            .OfType<long>()
            .DefaultIfEmpty(-1)
            .Min();
        return seconds < 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}
