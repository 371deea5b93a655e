using System.Globalization;

namespace ChatOpsMfa.Arazzo;

/// <summary>How long to wait before a retry: a Retry-After response header (seconds or HTTP date) wins over retryAfter.</summary>
internal static class RetryDelay
{
    public static TimeSpan Compute(ArazzoAction action, IReadOnlyDictionary<string, string> responseHeaders, TimeProvider timeProvider)
    {
        var header = responseHeaders.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.Trim();
        if (header is { Length: > 0 })
        {
            if (int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParseExact(header, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var wait = date - timeProvider.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return TimeSpan.FromSeconds(Math.Max(0, action.RetryAfterSeconds ?? 0));
    }
}
