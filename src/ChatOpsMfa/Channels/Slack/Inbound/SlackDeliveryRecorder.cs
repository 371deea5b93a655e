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
    SlackDeliveryDeduplicator deliveries, StorageDatabase database, IOptions<SlackOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private List<(string Key, TaskCompletionSource<bool> Done)> _waiting = [];
    private bool _writing;
    private DateTimeOffset _lastPrune = DateTimeOffset.MinValue;

    /// <summary>True the first time <paramref name="key"/> is seen within the window, on any instance; false for a repeat.</summary>
    public async Task<bool> TryBeginAsync(string key, CancellationToken cancellationToken)
    {
        if (database.Provider != StorageProvider.Sqlite)
        {
            return await deliveries.TryBeginAsync(key, cancellationToken);
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_gate)
        {
            _waiting.Add((key, done));
            lead = !_writing;
            _writing = true;
        }

        // The first caller to find no group being written writes groups until none is waiting; the others only wait.
        // The writing runs on a thread of its own: SQLite's driver completes synchronously, and a thread-pool thread
        // held through a commit's fsync is one the acknowledgements cannot have.
        if (lead)
        {
            await Task.Factory.StartNew(() => WriteWaitingAsync(cancellationToken), cancellationToken,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        }

        return await done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteWaitingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            List<(string Key, TaskCompletionSource<bool> Done)> group;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    return;
                }

                group = _waiting;
                _waiting = [];
            }

            try
            {
                var first = await WriteAsync(group, cancellationToken);
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
