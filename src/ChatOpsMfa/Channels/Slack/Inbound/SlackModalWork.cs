namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// <c>views.open</c>, on its own path: its trigger id expires 3 s after the command or click, so it must never wait
/// behind the shared queue (slow Okta calls, rate-limited posts). Its calls never sleep on <c>Retry-After</c> either.
/// The workers only wait on Slack, so their number is what bounds how many modals open per second (workers / Slack's
/// round trip): 8 of them made at most about 40/s at a 200 ms round trip, and a modal queued longer than 3 s is lost.
/// Under a burst (bench/slack, burst mode) 8 workers filled the queue and refused commands with 503; 64 keep up.
/// </summary>
public sealed class SlackModalWork(ILogger<SlackModalWork> logger) : SlackWorkQueue(Capacity, Workers, logger)
{
    public const int Capacity = 1_000;
    public const int Workers = 64;
}
