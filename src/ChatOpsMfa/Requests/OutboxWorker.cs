using System.Collections.Concurrent;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Delivers owed chat messages in the background: at once for a request the <see cref="OutboxSignal"/> wakes (a
/// decision or a submit just stored them), at start (what a crash left behind) and every few seconds (what a chat
/// platform that was down could not take, and what an instance that died held). Each woken request is delivered on its own, so one slow chat platform
/// call holds back only that request's thread; the dispatcher keeps each request's messages in order.
/// </summary>
public sealed partial class OutboxWorker(
    WorkLeases leases,
    OutboxDispatcher dispatcher,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxWorker> logger)
    : BackgroundService
{
    private const int ClaimBatch = 50;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(PollAsync(stoppingToken), WakeAsync(stoppingToken));

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                // Only requests nobody else is delivering (or whose deliverer's lease ran out: it was killed).
                foreach (var requestId in await leases.ClaimAsync(LeaseKind.Outbox, ClaimBatch, stoppingToken))
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

    private async Task WakeAsync(CancellationToken stoppingToken)
    {
        var running = new ConcurrentDictionary<Task, byte>();
        try
        {
            await foreach (var requestId in signal.ReadAllAsync(stoppingToken))
            {
                var delivery = Task.Run(() => DeliverWokenAsync(requestId, stoppingToken), CancellationToken.None);
                running[delivery] = 0;
                _ = delivery.ContinueWith(done => running.TryRemove(done, out _), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        finally
        {
            await Task.WhenAll(running.Keys);
        }
    }

    private async Task DeliverWokenAsync(string requestId, CancellationToken stoppingToken)
    {
        try
        {
            await dispatcher.DeliverAsync(requestId, stoppingToken);
        }
        catch (Exception error) when (!stoppingToken.IsCancellationRequested)
        {
            LogFailed(error);
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is still owed stays in the outbox for the next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering owed chat messages failed; trying again shortly")]
    private partial void LogFailed(Exception error);
}
