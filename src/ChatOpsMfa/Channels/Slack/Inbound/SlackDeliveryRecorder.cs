using System.Data.Common;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// Remembers what Slack already delivered (event ids, trigger ids, clicks), so retries, with or without
/// <c>X-Slack-Retry-Num</c>, are processed once, whichever instance each copy reaches: the work queues begin every job
/// with it. The keys live in the database (<c>slack_deliveries</c>), and the first insert wins. Keys expire after
/// <c>Slack:DeduplicationWindow</c>; expired ones are deleted at most once a minute per instance.
/// The keys are written in groups: every key waiting at a moment goes in one transaction (one fsync, at full
/// durability), on SQLite key by key and on PostgreSQL in one statement, by one writer thread. Measured under a burst
/// (bench/slack, burst mode): with one transaction per key, the queues' workers waited inside <c>sqlite3_step</c> (one
/// writer at a time; SQLite's busy handler sleeps 1, 2, 5, 10… ms between tries) on thread-pool threads, and the
/// acknowledgements waited behind them for a thread (p99 207 ms at 560 commands/s); one transaction per key taken in
/// turn kept the threads free but capped the queues at one fsync per key (about 300/s). On PostgreSQL one statement
/// per key, each its own commit, held the burst to 3546 commands/s; grouped, 8925.
/// </summary>
public sealed class SlackDeliveryRecorder(StorageDatabase database, IOptions<SlackOptions> options, TimeProvider time) : IDisposable
{
    /// <summary>Records one key (<c>@key</c>, <c>@until</c>, <c>@now</c>): new, or expired and taken again; one row changed means it begins.</summary>
    private const string InsertSql = """
        INSERT INTO slack_deliveries (delivery_key, expires_at) VALUES (@key, @until)
        ON CONFLICT (delivery_key) DO UPDATE SET expires_at = excluded.expires_at
        WHERE slack_deliveries.expires_at <= @now
        """;

    /// <summary>Deletes the keys whose window is over (<c>@now</c>).</summary>
    private const string PruneSql = "DELETE FROM slack_deliveries WHERE expires_at <= @now";

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private List<(string Key, TaskCompletionSource<bool> Done)> _waiting = [];
    private Thread? _writer;
    private bool _disposed;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>True the first time <paramref name="key"/> is seen within the window, on any instance; false for a repeat.</summary>
    public async Task<bool> TryBeginAsync(string key, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _waiting.Add((key, done));
            // One writer thread for the recorder's life, started by the first key: SQLite's driver completes
            // synchronously, and a thread-pool thread held through a commit's fsync is one the acknowledgements cannot
            // have. (A thread started per group instead cost a thread's creation whenever the queue had drained.)
            if (_writer is null)
            {
                _writer = new Thread(WriteGroups) { IsBackground = true, Name = "Slack delivery recorder" };
                _writer.Start();
            }
            else if (_waiting.Count == 1)
            {
                Monitor.Pulse(_gate);
            }
        }

        return await done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the writer thread once the keys already waiting are written.</summary>
    public void Dispose()
    {
        Thread? writer;
        lock (_gate)
        {
            _disposed = true;
            writer = _writer;
            Monitor.Pulse(_gate);
        }

        writer?.Join(TimeSpan.FromSeconds(10));
    }

    /// <summary>The writer thread: every key waiting at a moment goes in one transaction, until the recorder is disposed.</summary>
    private void WriteGroups()
    {
        while (true)
        {
            List<(string Key, TaskCompletionSource<bool> Done)> group;
            lock (_gate)
            {
                while (_waiting.Count == 0 && !_disposed)
                {
                    Monitor.Wait(_gate);
                }

                if (_waiting.Count == 0)
                {
                    return;
                }

                group = _waiting;
                _waiting = [];
            }

            try
            {
                // Completes synchronously on SQLite (Microsoft.Data.Sqlite); on PostgreSQL this thread waits for Npgsql,
                // and is the only one that does. No caller's token: a key others wait on is written whoever stopped waiting.
                var first = WriteAsync(group, CancellationToken.None).GetAwaiter().GetResult();
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.TrySetResult(first[i]);
                }
            }
            catch (Exception error)
            {
                // Nothing of the group was recorded (one transaction): every caller sees the failure, and its job does not run.
                group.ForEach(g => g.Done.TrySetException(error));
            }
        }
    }

    private async Task<bool[]> WriteAsync(List<(string Key, TaskCompletionSource<bool> Done)> group, CancellationToken cancellationToken)
    {
        if (database.Provider == StorageProvider.PostgreSQL)
        {
            return await WriteOnPostgresAsync(group, cancellationToken);
        }

        var now = time.GetUtcNow();
        var until = DbCommands.Format(now + options.Value.DeduplicationWindow);
        var first = new bool[group.Count];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        await PruneIfDueAsync(connection, transaction, now, cancellationToken);

        await using var insert = connection.Command(InsertSql, transaction)
            .With("@key", "").With("@until", until).With("@now", DbCommands.Format(now));
        for (var i = 0; i < group.Count; i++)
        {
            // The same key twice in one group (a retry arriving with its original): the first insert wins, as across groups.
            ((DbParameter)insert.Parameters["@key"]).Value = group[i].Key;
            first[i] = await insert.ExecuteNonQueryAsync(cancellationToken) > 0;
        }

        await transaction.CommitAsync(cancellationToken);
        return first;
    }

    /// <summary>
    /// PostgreSQL: the whole group in one statement (one round trip, one commit) that names the keys it recorded. The
    /// keys go in sorted order, so two instances writing overlapping groups take the keys' row locks in the same order
    /// and cannot deadlock; a key twice in the group is sent once, and its later copies are repeats.
    /// </summary>
    private async Task<bool[]> WriteOnPostgresAsync(List<(string Key, TaskCompletionSource<bool> Done)> group, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var keys = group.Select(g => g.Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await using var connection = await database.OpenAsync(cancellationToken);
        await PruneIfDueAsync(connection, null, now, cancellationToken);

        await using var insert = connection.Command(InsertManySql)
            .With("@keys", keys).With("@until", DbCommands.Format(now + options.Value.DeduplicationWindow)).With("@now", DbCommands.Format(now));
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded.Add(reader.GetString(0));
            }
        }

        // The first copy of a recorded key begins; every other copy, in this group or later, is a repeat.
        return group.Select(g => recorded.Remove(g.Key)).ToArray();
    }

    /// <summary>Deletes the expired keys, at most once every <see cref="PruneEvery"/> (only the writer thread calls it).</summary>
    private async Task PruneIfDueAsync(DbConnection connection, DbTransaction? transaction, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now - _lastPrune < PruneEvery)
        {
            return;
        }

        _lastPrune = now;
        await using var prune = connection.Command(PruneSql, transaction).With("@now", DbCommands.Format(now));
        await prune.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// <see cref="InsertSql"/> for many keys (<c>@keys</c>, a text array, distinct): the same
    /// rule (new, or expired and taken again), and the keys it recorded come back.
    /// </summary>
    private const string InsertManySql = """
        INSERT INTO slack_deliveries (delivery_key, expires_at)
        SELECT k, @until FROM unnest(@keys::text[]) AS k ORDER BY k
        ON CONFLICT (delivery_key) DO UPDATE SET expires_at = excluded.expires_at
        WHERE slack_deliveries.expires_at <= @now
        RETURNING delivery_key
        """;
}
