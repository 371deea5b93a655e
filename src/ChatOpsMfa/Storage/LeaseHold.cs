namespace ChatOpsMfa.Storage;

/// <summary>
/// A lease this instance holds on one request while its work runs: renewed every third of <c>Outbox:LeaseTimeout</c>,
/// given back when disposed. <see cref="Lost"/> is cancelled if a renewal finds another instance took it over.
/// </summary>
public sealed class LeaseHold : IAsyncDisposable
{
    private readonly WorkLeases _leases;
    private readonly LeaseKind _kind;
    private readonly string _requestId;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private bool _keep;

    internal LeaseHold(WorkLeases leases, LeaseKind kind, string requestId, TimeProvider time)
    {
        _leases = leases;
        _kind = kind;
        _requestId = requestId;
        _renewing = RenewAsync(time);
    }

    public CancellationToken Lost => _lost.Token;

    /// <summary>
    /// Renews the lease now, right before work that must not run twice (an Okta call): if another instance took it over
    /// meanwhile, <see cref="Lost"/> is cancelled and this throws, so the call is not made.
    /// </summary>
    public async Task EnsureHeldAsync(CancellationToken cancellationToken)
    {
        if (!_lost.IsCancellationRequested && await _leases.TryTakeAsync(_kind, _requestId, cancellationToken))
        {
            return;
        }

        await _lost.CancelAsync();
        throw new OperationCanceledException("Another instance took this request's work over.", _lost.Token);
    }

    /// <summary>
    /// Leaves the lease to run out instead of giving it back: the work is tried again only once
    /// <c>Outbox:LeaseTimeout</c> has passed, not at every poll. With <paramref name="thisInstanceToo"/> (after an
    /// unexpected failure) this instance waits as well, even for work queued here again meanwhile; without it (work
    /// that is simply still owed, such as a removal Okta refused) this instance may try again when asked to.
    /// </summary>
    public void KeepUntilExpiry(bool thisInstanceToo = false)
    {
        _keep = true;
        if (thisInstanceToo)
        {
            _leases.Rest(_kind, _requestId);
        }
    }

    private async Task RenewAsync(TimeProvider time)
    {
        try
        {
            using var timer = new PeriodicTimer(_leases.Timeout / 3, time);
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                bool held;
                try
                {
                    held = await _leases.TryTakeAsync(_kind, _requestId, _stop.Token);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // The database did not answer: the lease may run out, so stop rather than risk two runners.
                    held = false;
                }

                if (!held)
                {
                    await _lost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        if (!_lost.IsCancellationRequested && !_keep)
        {
            try
            {
                await _leases.ReleaseAsync(_kind, _requestId, CancellationToken.None);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // Not given back: it runs out on its own within Outbox:LeaseTimeout.
            }
        }

        _stop.Dispose();
        _lost.Dispose();
    }
}
