namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// The shared queue: requests, clicks, messages, everything that may wait on Okta or on a rate-limited Slack method.
/// Modals never wait here (<see cref="SlackModalWork"/>).
/// </summary>
public sealed class SlackBackgroundWork(ILogger<SlackBackgroundWork> logger) : SlackWorkQueue(Capacity, 4, logger)
{
    public const int Capacity = 10_000;
}
