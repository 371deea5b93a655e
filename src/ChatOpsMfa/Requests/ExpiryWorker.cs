using ChatOpsMfa.Storage;
namespace ChatOpsMfa.Requests;

/// <summary>Expires requests nobody decided in time. Deadlines are stored, so a restart loses none.</summary>
public sealed partial class ExpiryWorker(ResetWorkflowService requests, WorkLeases leases, TimeProvider time, ILogger<ExpiryWorker> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                // One instance of the cluster sweeps at a time (each expiry and reminder is also saved with a
                // version check, so even an overlap would change each request once).
                if (await leases.TryTakeSweepAsync("expiry", Interval, stoppingToken))
                {
                    await requests.ExpireDueAsync(stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiring overdue requests failed; trying again shortly")]
    private partial void LogFailed(Exception error);
}
