using System.Globalization;
using System.Data.Common;

using static ChatOpsMfa.Storage.DbCommands;

namespace ChatOpsMfa.Storage;

/// <summary>
/// The chat messages the bot still owes, in the order they were decided. Rows are written in the same transaction
/// as the state change (by <see cref="RequestStore"/>), so a crash can delay a message but never lose it.
/// </summary>
public sealed class Outbox(StorageDatabase database)
{
    internal static async Task AddAsync(
        DbConnection connection, DbTransaction transaction, string requestId, IEnumerable<OutboxMessage> messages,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO outbox (request_id, kind, payload, created_at, next_attempt_at)
                VALUES (@request, @kind, @payload, @now, @now)
                """;
            insert.With("@request", requestId);
            insert.With("@kind", message.Kind.ToString());
            insert.With("@payload", (object?)message.Payload ?? DBNull.Value);
            insert.With("@now", Format(now));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>A request's undelivered messages, oldest first.</summary>
    public async Task<IReadOnlyList<PendingMessage>> PendingForAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, request_id, kind, payload, attempts, next_attempt_at FROM outbox WHERE request_id = @r ORDER BY id";
        command.With("@r", requestId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new List<PendingMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new PendingMessage(
                reader.GetInt64(0),
                reader.GetString(1),
                Enum.Parse<OutboxKind>(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt32(4),
                DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture)));
        }

        return pending;
    }

    /// <summary>Requests with a message whose next attempt is due.</summary>
    public async Task<IReadOnlyList<string>> RequestsDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT request_id FROM outbox WHERE next_attempt_at <= @now";
        command.With("@now", Format(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(reader.GetString(0));
        }

        return due;
    }

    /// <summary>Whether this request has a message whose next attempt is due.</summary>
    public async Task<bool> HasDueAsync(string requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT 1 FROM outbox WHERE request_id = @r AND next_attempt_at <= @now LIMIT 1")
            .With("@r", requestId).With("@now", Format(now));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>How many messages are still owed, in all.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Delivered (or given up for good): the row, and any secret in it, is gone.</summary>
    public Task RemoveAsync(long id, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM outbox WHERE id = @id", cancellationToken, ("@id", id));

    /// <summary>Not delivered this time: try again at <paramref name="nextAttemptAt"/>.</summary>
    public Task DeferAsync(long id, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error WHERE id = @id",
            cancellationToken, ("@id", id), ("@next", Format(nextAttemptAt)), ("@error", error));

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.With(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

}
