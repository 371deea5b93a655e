using System.Globalization;
using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Telemetry;

/// <summary>
/// How many chat messages are owed and how old the oldest is, read from the outbox table when the gauges are collected
/// (one small query per scrape; a second of caching keeps several gauges of one scrape on one read).
/// </summary>
public sealed partial class OutboxBacklog(StorageDatabase database, TimeProvider time, ILogger<OutboxBacklog> logger)
{
    private static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private (DateTimeOffset At, Snapshot? Value)? _last;

    /// <summary>The backlog now, or null when the database cannot be read (the gauges then report nothing).</summary>
    public Snapshot? Read()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_last is { } last && now - last.At < ReuseFor)
            {
                return last.Value;
            }

            var value = Query(now);
            _last = (now, value);
            return value;
        }
    }

    private Snapshot? Query(DateTimeOffset now)
    {
        try
        {
            using var connection = database.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*), MIN(created_at) FROM outbox";
            using var reader = command.ExecuteReader();
            reader.Read();
            var count = reader.GetInt64(0);
            var oldest = reader.IsDBNull(1) ? (DateTimeOffset?)null : DbCommands.ParseTime(reader.GetString(1));
            return new Snapshot(count, oldest is { } at && now > at ? now - at : TimeSpan.Zero);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // The readiness check says the database is down; the gauges report nothing rather than a made-up zero.
            LogReadFailed(StorageDatabase.Describe(e));
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the outbox backlog for /metrics failed ({Problem})")]
    private partial void LogReadFailed(string problem);

    public readonly record struct Snapshot(long Count, TimeSpan OldestAge);
}
