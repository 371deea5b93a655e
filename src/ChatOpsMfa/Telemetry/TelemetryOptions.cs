namespace ChatOpsMfa.Telemetry;

/// <summary>The <c>Telemetry</c> section: who may scrape <c>/metrics</c>.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    public MetricsOptions Metrics { get; set; } = new();

    public sealed class MetricsOptions
    {
        /// <summary>
        /// Off by default: the bot's address is reachable by Slack and Microsoft, so anyone who can reach it could read
        /// request and step-up counts. Turn it on with <see cref="Port"/> on a listener only the monitoring network reaches.
        /// </summary>
        public bool Enabled { get; set; }

        /// <summary>When set, <c>/metrics</c> answers only requests that arrived on this local port (0: any).</summary>
        public int Port { get; set; }
    }
}
