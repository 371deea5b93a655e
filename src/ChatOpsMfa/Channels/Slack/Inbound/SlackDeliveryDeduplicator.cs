using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// Remembers what Slack already delivered (event ids, trigger ids, clicks), so retries, with or without
/// <c>X-Slack-Retry-Num</c>, are processed once, whichever instance each copy reaches: the keys live in the database
/// (<c>slack_deliveries</c>), and the first insert wins. Keys expire after <c>Slack:DeduplicationWindow</c>; expired
/// ones are deleted at most once a minute per instance.
/// </summary>
public sealed class SlackDeliveryDeduplicator(StorageDatabase database, IOptions<SlackOptions> options, TimeProvider time)
{
    /// <summary>Records one key (<c>@key</c>, <c>@until</c>, <c>@now</c>); one row changed means it was new. Shared with <see cref="SlackDeliveryRecorder"/>.</summary>
    internal const string InsertSql = """
        INSERT INTO slack_deliveries (delivery_key, expires_at) VALUES (@key, @until)
        ON CONFLICT (delivery_key) DO UPDATE SET expires_at = excluded.expires_at
        WHERE slack_deliveries.expires_at <= @now
        """;

    /// <summary>Deletes the keys whose window is over (<c>@now</c>).</summary>
    internal const string PruneSql = "DELETE FROM slack_deliveries WHERE expires_at <= @now";

    internal static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);
    private long _lastPruneTicks;

    /// <summary>True the first time <paramref name="key"/> is seen within the window, on any instance; false for a repeat.</summary>
    public async Task<bool> TryBeginAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await PruneAsync(connection, now, cancellationToken);
        await using var insert = connection.Command(InsertSql)
            .With("@key", key).With("@until", DbCommands.Format(now + options.Value.DeduplicationWindow)).With("@now", DbCommands.Format(now));
        return await insert.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task PruneAsync(System.Data.Common.DbConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = Interlocked.Read(ref _lastPruneTicks);
        if (now.UtcTicks - last < PruneEvery.Ticks || Interlocked.CompareExchange(ref _lastPruneTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        await using var prune = connection.Command(PruneSql).With("@now", DbCommands.Format(now));
        await prune.ExecuteNonQueryAsync(cancellationToken);
    }
}
