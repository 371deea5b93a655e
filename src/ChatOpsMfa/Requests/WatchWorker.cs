using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>Reads the System Log of people reset within <c>Monitoring:WatchWindow</c>, every <c>Monitoring:PollInterval</c>.</summary>
public sealed partial class WatchWorker(
    ResetWorkflowService requests, WorkLeases leases, TimeProvider time, IOptions<MonitoringOptions> options, ILogger<WatchWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.WatchWindow <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await leases.TryTakeSweepAsync("system-log", options.Value.PollInterval, stoppingToken))
                {
                    await requests.WatchSystemLogAsync(stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(error);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching the System Log after resets failed; trying again shortly")]
    private partial void LogFailed(Exception error);
}
