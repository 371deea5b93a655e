namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// <c>views.open</c>, on its own path: its trigger id expires 3 s after the command or click, so it must never wait
/// behind the shared queue (slow Okta calls, rate-limited posts). Its calls never sleep on <c>Retry-After</c> either.
/// </summary>
public sealed class SlackModalWork(ILogger<SlackModalWork> logger) : SlackWorkQueue(Capacity, 8, logger)
{
    public const int Capacity = 1_000;
}
