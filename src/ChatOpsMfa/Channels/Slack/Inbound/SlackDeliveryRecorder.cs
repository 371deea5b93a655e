using System.Data.Common;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// Records deliveries for the work queues, which begin every job with it, so a retry is processed once. On PostgreSQL it
/// is <see cref="SlackDeliveryDeduplicator"/> itself: an asynchronous driver and a server that takes concurrent inserts.
/// On SQLite the keys are written in groups, one transaction (so one fsync, at full durability) for every key waiting
/// at that moment. Measured under a burst (bench/slack, burst mode): with one transaction per key, the queues' workers
/// waited inside <c>sqlite3_step</c> (one writer at a time; SQLite's busy handler sleeps 1, 2, 5, 10… ms between tries)
/// on thread-pool threads, and the acknowledgements waited behind them for a thread (p99 207 ms at 560 commands/s);
/// one transaction per key taken in turn kept the threads free but capped the queues at one fsync per key (about 300/s).
/// The statements are the de-duplicator's own (<see cref="SlackDeliveryDeduplicator.InsertSql"/>), key by key, so a key
/// means the same whichever path wrote it.
/// </summary>
public sealed class SlackDeliveryRecorder(
    SlackDeliveryDeduplicator deliveries, StorageDatabase database, IOptions<SlackOptions> options, TimeProvider time) : IDisposable
{
    private readonly object _gate = new();
    private List<(string Key, TaskCompletionSource<bool> Done)> _waiting = [];
    private Thread? _writer;
    private bool _disposed;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>True the first time <paramref name="key"/> is seen within the window, on any instance; false for a repeat.</summary>
    public async Task<bool> TryBeginAsync(string key, CancellationToken cancellationToken)
    {
        if (database.Provider != StorageProvider.Sqlite)
        {
            return await deliveries.TryBeginAsync(key, cancellationToken);
        }

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
                // Completes synchronously (Microsoft.Data.Sqlite), on this thread. No caller's token: a key others wait on
                // is written whoever stopped waiting.
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
        var now = time.GetUtcNow();
        var until = DbCommands.Format(now + options.Value.DeduplicationWindow);
        var first = new bool[group.Count];
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        if (now - _lastPrune >= SlackDeliveryDeduplicator.PruneEvery)
        {
            _lastPrune = now;
            await using var prune = connection.Command(SlackDeliveryDeduplicator.PruneSql, transaction)
                .With("@now", DbCommands.Format(now));
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = connection.Command(SlackDeliveryDeduplicator.InsertSql, transaction)
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
}
