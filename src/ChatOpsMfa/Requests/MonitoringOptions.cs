namespace ChatOpsMfa.Requests;

/// <summary>What the bot watches in Okta's System Log after a reset: section <c>Monitoring</c>.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>How long after a reset the person's System Log events are watched for the 2023 pattern; zero turns it off.</summary>
    public TimeSpan WatchWindow { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How often the System Log is read for requests in their watch window.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
}
