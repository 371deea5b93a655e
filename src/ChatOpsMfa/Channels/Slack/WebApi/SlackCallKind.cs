namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>How a Web API call may be repeated when it fails on the way (a 5xx, a timeout, a dropped connection).</summary>
public enum SlackCallKind
{
    /// <summary>Doing it twice is the same as once (a read, an update to the same content): retried a bounded number of times.</summary>
    Idempotent,

    /// <summary>Doing it twice is visible (a second message): only a 429 is retried, since Slack did not process that call.</summary>
    NotRepeatable,

    /// <summary><c>views.open</c>: its trigger id lives 3 s and is spent on first use, so nothing is waited for or repeated.</summary>
    Immediate,
}
