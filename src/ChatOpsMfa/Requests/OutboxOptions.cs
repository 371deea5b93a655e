namespace ChatOpsMfa.Requests;

/// <summary>How the outbox retries chat messages a platform refused, and how long work stays leased: section <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>The first wait after a failure; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the background worker looks for messages that are due again.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an instance's hold on a request's outbox delivery or Okta work lasts without being renewed (it is
    /// renewed every third of it while the work runs). Work held by an instance that was killed is taken over by
    /// another within this time; the same instance, restarted, waits for it too.
    /// </summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
