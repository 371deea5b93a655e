using System.Diagnostics;

namespace ChatOpsMfa.Telemetry;

/// <summary>
/// When no trace exporter is configured: listens to the bot's own <see cref="ChatOpsMfaTracing.Source"/> asking for
/// propagation data only, so its spans exist (with a trace id for the log lines under them) but record nothing.
/// </summary>
internal sealed class TraceIdsWithoutExporter : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == ChatOpsMfaTracing.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _listener.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _listener.Dispose();
}
