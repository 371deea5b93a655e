namespace ChatOpsMfa.Channels.Teams.Connector;

/// <summary>
/// How often and how long the Connector client waits on a throttled (429) or briefly unavailable (502/503/504)
/// Connector before it hands the failure to its caller (for messages, the outbox, which tries again later).
/// </summary>
internal sealed class ConnectorRetryPolicy
{
    /// <summary>Retries after the first attempt, for 429 and 502/503/504 together.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The first back-off; each retry doubles it, and a random part of up to half again spreads callers out.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A <c>Retry-After</c> longer than this is not waited out here: the caller tries again later instead.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan BackOff(int retry)
    {
        var delay = BaseDelay * Math.Pow(2, retry);
        return delay + delay * (Random.Shared.NextDouble() / 2);
    }
}
