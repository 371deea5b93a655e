using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Delivers owed chat messages in the background: at start (what a crash left behind) and every few seconds
/// (what a chat platform that was down could not take).
/// </summary>
public sealed partial class OutboxWorker(
    Outbox outbox, OutboxDispatcher dispatcher, IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                foreach (var requestId in await outbox.RequestsDueAsync(time.GetUtcNow(), stoppingToken))
                {
                    await dispatcher.DeliverAsync(requestId, stoppingToken);
                }
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogFailed(error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering owed chat messages failed; trying again shortly")]
    private partial void LogFailed(Exception error);
}
