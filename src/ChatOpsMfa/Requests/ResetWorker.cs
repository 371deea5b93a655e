using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Runs approved requests' Okta work in the background, one at a time, so a click is answered at once. Each run holds
/// the request's Okta-work lease, so across instances it runs once; every poll it claims the work nobody holds:
/// what a previous process left unfinished, and what an instance that died was doing.
/// </summary>
public sealed partial class ResetWorker(
    ResetWorkflowService requests,
    ResetWorkQueue queue,
    WorkLeases leases,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<ResetWorker> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ClaimAsync(stoppingToken), RunAsync(stoppingToken));

    private async Task ClaimAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, time);
        do
        {
            try
            {
                await requests.ResumeAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                LogClaimFailed(error);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        await foreach (var requestId in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunOneAsync(requestId, stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The lease could not even be taken (the database is down): the claim finds the work again later.
                LogFailed(error, requestId);
            }
        }
    }

    private async Task RunOneAsync(string requestId, CancellationToken stoppingToken)
    {
        await using var hold = await leases.HoldAsync(LeaseKind.OktaWork, requestId, stoppingToken);
        if (hold is null)
        {
            return; // another instance is doing it
        }

        using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, hold.Lost);
        try
        {
            await requests.ExecuteAsync(requestId, held.Token, hold.EnsureHeldAsync);
            if (await requests.StillOwesOktaWorkAsync(requestId, held.Token))
            {
                // It did not get through (Okta refused a removal, say): tried again when the lease runs out, by
                // whichever instance claims it, rather than at every poll.
                hold.KeepUntilExpiry();
            }
        }
        catch (OperationCanceledException) when (hold.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // This process stalled past its lease and another instance took the work over: it finishes it from the
            // stored state, as a restart would.
            LogLeaseLost(requestId);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // One broken request must not stop the others. It stays in its state, and its lease runs out before
            // anyone tries again, so a request that keeps failing is retried every Outbox:LeaseTimeout, not in a loop.
            hold.KeepUntilExpiry(thisInstanceToo: true);
            LogFailed(error, requestId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The Okta work for request {RequestId} stopped unexpectedly")]
    private partial void LogFailed(Exception error, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Okta work for request {RequestId} was taken over by another instance (this one held its lease too long)")]
    private partial void LogLeaseLost(string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming Okta work nobody holds failed; trying again shortly")]
    private partial void LogClaimFailed(Exception error);
}
