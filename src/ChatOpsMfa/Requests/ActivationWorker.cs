using ChatOpsMfa.Storage;
namespace ChatOpsMfa.Requests;

/// <summary>
/// Watches new factors until they are ACTIVE: polls Okta Verify scans, ends activations whose time is up, and retries
/// removing pending factors. Everything it needs is stored, so a restart loses no activation.
/// </summary>
public sealed partial class ActivationWorker(
    ResetWorkflowService requests, WorkLeases leases, TimeProvider time, Microsoft.Extensions.Options.IOptions<ActivationOptions> options, ILogger<ActivationWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                if (await leases.TryTakeSweepAsync("activations", options.Value.PollInterval, stoppingToken))
                {
                    await requests.WatchActivationsAsync(stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching pending activations failed; trying again shortly")]
    private partial void LogFailed(Exception error);
}
