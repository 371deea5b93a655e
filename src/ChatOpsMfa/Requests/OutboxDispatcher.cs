using System.Collections.Concurrent;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Delivers a request's owed chat messages in order. A message that fails waits (with backoff) and holds back the
/// ones after it, so a thread never reads out of order; nothing is dropped unless the platform says it never can
/// be delivered.
/// </summary>
public sealed partial class OutboxDispatcher(
    Outbox outbox,
    WorkLeases leases,
    RequestStore store,
    RequestNotifier notifier,
    ResultProtector results,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    // Rounds of "deliver, give the lease back, look again" one call makes before leaving the rest to the poll.
    private const int MaxRounds = 3;

    /// <summary>
    /// Delivers what is due for one request. Safe to call from several places at once, and from several instances:
    /// one at a time per request in this process, and only while this instance holds the request's outbox lease.
    /// When another instance holds it, that instance delivers (or, if it died, whoever claims it next).
    /// </summary>
    public async Task DeliverAsync(string requestId, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(requestId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            for (var round = 0; round < MaxRounds; round++)
            {
                await using (var hold = await leases.HoldAsync(LeaseKind.Outbox, requestId, cancellationToken))
                {
                    if (hold is null)
                    {
                        return;
                    }

                    using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, hold.Lost);
                    try
                    {
                        await DeliverDueAsync(requestId, hold, held.Token);
                    }
                    catch (OperationCanceledException) when (hold.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        return; // another instance took the delivery over: it sends the rest, in order
                    }
                }

                // Another instance may have queued a message while this one held the lease, and found it held: having
                // given the lease back, look once more, so that message does not wait for the poll.
                if (!await outbox.HasDueAsync(requestId, time.GetUtcNow(), cancellationToken))
                {
                    return;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task DeliverDueAsync(string requestId, LeaseHold hold, CancellationToken cancellationToken)
    {
        foreach (var message in await outbox.PendingForAsync(requestId, cancellationToken))
        {
            if (message.NextAttemptAt > time.GetUtcNow())
            {
                return;
            }

            // Still ours right before each send: a process that stalled past its lease must not post a message the
            // instance that took over posts too.
            await hold.EnsureHeldAsync(cancellationToken);
            if (!await DeliverOneAsync(message, cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<bool> DeliverOneAsync(PendingMessage message, CancellationToken cancellationToken)
    {
        var request = await store.FindAsync(message.RequestId, cancellationToken);
        try
        {
            if (request is not null)
            {
                await SendAsync(request, message, cancellationToken);
            }

            await outbox.RemoveAsync(message.Id, cancellationToken);
            return true;
        }
        catch (ChatDeliveryException error) when (error.Permanent)
        {
            LogGaveUp(request!.Number, message.Kind, error.Message);
            await store.AuditAsync(request, new AuditNote("system", "ChatOpsMfa", "MessageUndeliverable", $"{message.Kind}: {error.Message}"),
                time.GetUtcNow(), cancellationToken);
            if (message.Kind == OutboxKind.Result)
            {
                // Nobody can ever hold this key: the activation watcher stops the activation and removes the factor.
                await RecordAsync(request.Id, r => r.RecordKeyUndeliverable(), cancellationToken);
            }
            else if (message.Kind == OutboxKind.ManagerCard)
            {
                // A manager who cannot be asked cannot confirm: the request is blocked, and says why, everywhere.
                await RecordManagerUnreachableAsync(request.Id, $"{request.Manager?.Name} could not be reached in chat ({error.Message})", cancellationToken);
            }

            await outbox.RemoveAsync(message.Id, cancellationToken);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var retry = options.Value;
            var wait = TimeSpan.FromTicks((long)Math.Min(retry.MaxRetryDelay.Ticks, retry.RetryDelay.Ticks * Math.Pow(2, message.Attempts)));
            LogDeferred(request?.Number ?? 0, message.Kind, error.GetType().Name, message.Attempts + 1, wait);
            await outbox.DeferAsync(message.Id, time.GetUtcNow() + wait, error.GetType().Name, cancellationToken);
            return false;
        }
    }

    private async Task SendAsync(ResetRequest request, PendingMessage message, CancellationToken cancellationToken)
    {
        switch (message.Kind)
        {
            case OutboxKind.ApprovalCard:
                if (await notifier.ShowApprovalAsync(request, cancellationToken) is { } approval)
                {
                    await RecordAsync(request.Id, r => r.RecordApprovalMessage(approval), cancellationToken);
                }

                break;
            case OutboxKind.StatusCard:
                if (await notifier.ShowStatusAsync(request, cancellationToken) is { } status)
                {
                    await RecordAsync(request.Id, r => r.RecordStatusMessage(status), cancellationToken);
                }

                break;
            case OutboxKind.ThreadReply:
                await notifier.ReplyInThreadAsync(request, message.Payload ?? "", cancellationToken);
                break;
            case OutboxKind.Reminder:
                await notifier.RemindInThreadAsync(request, message.Payload ?? "", cancellationToken);
                break;
            case OutboxKind.ManagerCard:
                if (await notifier.ShowManagerCardAsync(request, cancellationToken) is { } managerCard)
                {
                    await RecordAsync(request.Id, r => r.RecordManagerCard(managerCard), cancellationToken);
                }

                break;
            case OutboxKind.TargetNotice:
                if (await notifier.ShowTargetNoticeAsync(request, cancellationToken) is { } notice)
                {
                    await RecordAsync(request.Id, r => r.RecordTargetNotice(notice), cancellationToken);
                }

                break;
            case OutboxKind.Result:
                var key = await notifier.SendResultAsync(request, results.Unprotect(message.Payload), cancellationToken);
                await RecordAsync(request.Id, r => r.RecordKeyMessage(key), cancellationToken);
                break;
            case OutboxKind.ActivationCard:
                if (await notifier.ShowActivationAsync(request, cancellationToken) is { } card)
                {
                    await RecordAsync(request.Id, r => r.RecordActivationMessage(card), cancellationToken);
                }

                break;
            case OutboxKind.KeyRemoval:
                if (await notifier.RemoveKeyAsync(request, cancellationToken))
                {
                    await RecordAsync(request.Id, r => r.RecordKeyRemoved(), cancellationToken);
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown outbox message kind {message.Kind}.");
        }
    }

    /// <summary>Blocks the request because its manager cannot be reached, with the cards and the thread line that say so.</summary>
    private async Task RecordManagerUnreachableAsync(string requestId, string reason, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var request = await store.FindAsync(requestId, cancellationToken);
            if (request is null || !request.RecordManagerUnreachable(reason, time.GetUtcNow()).Succeeded)
            {
                return;
            }

            if (await store.SaveAsync(request, ResetWorkflowService.MessagesFor(request), cancellationToken) == SaveOutcome.Saved)
            {
                return;
            }
        }
    }

    /// <summary>Stores where a card went. Someone may have clicked meanwhile: reload and retry, it only adds a reference.</summary>
    private async Task RecordAsync(string requestId, Action<ResetRequest> record, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var request = await store.FindAsync(requestId, cancellationToken);
            if (request is null)
            {
                return;
            }

            record(request);
            if (await store.SaveAsync(request, cancellationToken) == SaveOutcome.Saved)
            {
                return;
            }
        }

        throw new InvalidOperationException($"Could not record where request {requestId}'s card was posted.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: {Kind} not delivered ({Error}), attempt {Attempt}; trying again in {Wait}")]
    private partial void LogDeferred(long number, OutboxKind kind, string error, int attempt, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Number}: {Kind} can never be delivered: {Reason}")]
    private partial void LogGaveUp(long number, OutboxKind kind, string reason);
}
