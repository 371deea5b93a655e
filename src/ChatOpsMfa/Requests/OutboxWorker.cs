using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Delivers owed chat messages in the background: at start (what a crash left behind) and every few seconds
/// (what a chat platform that was down could not take).
/// </summary>
public sealed partial class OutboxWorker(Outbox outbox, OutboxDispatcher dispatcher, TimeProvider time, ILogger<OutboxWorker> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
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
