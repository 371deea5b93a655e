namespace ChatOpsMfa.Tests.Telemetry;

/// <summary>
/// A MeterProvider listens to every Meter of its name in the process, so a host started by a parallel test would add
/// its counts to this host's /metrics. These tests run alone (in production there is one host per process).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}
