using ChatOpsMfa.Requests;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Leases that make several instances on one database do each piece of work once: a request's Okta work and its
/// outbox delivery are held by one instance at a time (columns on the request's row), and each sweep runs on one
/// instance at a time (<c>cluster_leases</c>). A lease lasts <c>Outbox:LeaseTimeout</c> unless renewed, so what a
/// killed instance held is taken over when that time is up. Claiming picks rows with <c>FOR UPDATE SKIP LOCKED</c>
/// on PostgreSQL, so instances claiming at once take different requests and never wait on each other.
/// </summary>
public sealed class WorkLeases(StorageDatabase database, InstanceIdentity instance, IOptionsMonitor<OutboxOptions> options, TimeProvider time)
{
    // Enum names only, never input, so they are inlined.
    private static readonly string NeedsOktaWork = string.Join(",", ResetRequest.OktaWorkStates.Select(s => $"'{s}'"));

    // Work this instance must not take again before its lease runs out (it failed unexpectedly here), by request.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(LeaseKind, string), DateTimeOffset> _resting = new();

    public TimeSpan Timeout => options.CurrentValue.LeaseTimeout;

    public string Holder => instance.Id;

    /// <summary>Takes (or renews) this instance's lease on one request; false when another live instance holds it.</summary>
    public async Task<bool> TryTakeAsync(LeaseKind kind, string requestId, CancellationToken cancellationToken)
    {
        var (holder, until) = Columns(kind);
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var take = connection.Command($"""
            UPDATE requests SET {holder} = @me, {until} = @until
            WHERE id = @id AND ({holder} IS NULL OR {holder} = @me OR {until} <= @now)
            """)
            .With("@me", instance.Id).With("@until", DbCommands.Format(now + Timeout)).With("@now", DbCommands.Format(now)).With("@id", requestId);
        return await take.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Gives a lease back, if this instance still holds it, so the next instance need not wait for it to run out.</summary>
    public async Task ReleaseAsync(LeaseKind kind, string requestId, CancellationToken cancellationToken)
    {
        var (holder, until) = Columns(kind);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var release = connection.Command($"UPDATE requests SET {holder} = NULL, {until} = NULL WHERE id = @id AND {holder} = @me")
            .With("@id", requestId).With("@me", instance.Id);
        await release.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> requests with work of this kind that nobody holds (or whose holder's lease
    /// ran out): Okta work still owed, or outbox messages that are due. Returns their ids, oldest first.
    /// </summary>
    public async Task<IReadOnlyList<string>> ClaimAsync(LeaseKind kind, int max, CancellationToken cancellationToken)
    {
        var (holder, until) = Columns(kind);
        var due = kind == LeaseKind.OktaWork
            ? $"state IN ({NeedsOktaWork})"
            : "EXISTS (SELECT 1 FROM outbox WHERE outbox.request_id = requests.id AND outbox.next_attempt_at <= @now)";
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        await using var claim = connection.Command($"""
            UPDATE requests SET {holder} = @me, {until} = @until
            WHERE id IN (
                SELECT id FROM requests
                WHERE {due} AND ({holder} IS NULL OR {until} <= @now)
                ORDER BY number LIMIT @max{database.SkipLocked})
            RETURNING id
            """, transaction)
            .With("@me", instance.Id).With("@until", DbCommands.Format(now + Timeout)).With("@now", DbCommands.Format(now)).With("@max", max);
        var claimed = new List<string>();
        await using (var reader = await claim.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(reader.GetString(0));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    /// <summary>
    /// Takes the lease and keeps renewing it until disposed, which gives it back. Null when another instance holds
    /// it. If a renewal finds another holder (this process stalled past the lease), <see cref="LeaseHold.Lost"/> is
    /// cancelled, so the work stops rather than run twice.
    /// </summary>
    public async Task<LeaseHold?> HoldAsync(LeaseKind kind, string requestId, CancellationToken cancellationToken)
    {
        if (_resting.TryGetValue((kind, requestId), out var until))
        {
            if (time.GetUtcNow() < until)
            {
                return null;
            }

            _resting.TryRemove((kind, requestId), out _);
        }

        return await TryTakeAsync(kind, requestId, cancellationToken)
            ? new LeaseHold(this, kind, requestId, time)
            : null;
    }

    /// <summary>This instance takes no new hold on the request's work until the lease it keeps runs out.</summary>
    internal void Rest(LeaseKind kind, string requestId) => _resting[(kind, requestId)] = time.GetUtcNow() + Timeout;

    /// <summary>
    /// Takes (or renews) the cluster-wide lease <paramref name="name"/> for <paramref name="holdFor"/>: true while this
    /// instance is the one that runs that sweep. Its holder renews it on every round, so it moves only when that
    /// instance stops or dies.
    /// </summary>
    public async Task<bool> TryTakeClusterAsync(string name, TimeSpan holdFor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var take = connection.Command("""
            INSERT INTO cluster_leases (name, holder, expires_at) VALUES (@name, @me, @until)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE cluster_leases.holder = excluded.holder OR cluster_leases.expires_at <= @now
            """)
            .With("@name", name).With("@me", instance.Id).With("@until", DbCommands.Format(now + holdFor)).With("@now", DbCommands.Format(now));
        return await take.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Whether this instance runs the sweep <paramref name="name"/> this round (it runs every
    /// <paramref name="interval"/>): the first instance to ask holds it, and keeps it by asking every round; if it
    /// dies, another takes the sweep over once two rounds and <c>Outbox:LeaseTimeout</c> have passed.
    /// </summary>
    public Task<bool> TryTakeSweepAsync(string name, TimeSpan interval, CancellationToken cancellationToken) =>
        TryTakeClusterAsync("sweep:" + name, interval * 2 + Timeout, cancellationToken);

    /// <summary>At a clean shutdown: gives back every lease this instance holds, so the others take its work at once.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        foreach (var sql in new[]
                 {
                     "UPDATE requests SET work_holder = NULL, work_until = NULL WHERE work_holder = @me",
                     "UPDATE requests SET outbox_holder = NULL, outbox_until = NULL WHERE outbox_holder = @me",
                     "DELETE FROM cluster_leases WHERE holder = @me",
                 })
        {
            await using var release = connection.Command(sql, transaction).With("@me", instance.Id);
            await release.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static (string Holder, string Until) Columns(LeaseKind kind) => kind switch
    {
        LeaseKind.OktaWork => ("work_holder", "work_until"),
        LeaseKind.Outbox => ("outbox_holder", "outbox_until"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
