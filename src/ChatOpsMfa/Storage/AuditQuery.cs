
using static ChatOpsMfa.Storage.DbCommands;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Reads the audit trail across requests, one page at a time, in the order rows were written (their id).
/// Read-only: the trail is written by <see cref="RequestStore"/> alone.
/// </summary>
public sealed class AuditQuery(StorageDatabase database)
{
    /// <summary>
    /// Up to <paramref name="take"/> rows with an id above <paramref name="afterId"/>, written at or after
    /// <paramref name="from"/> and before <paramref name="to"/>, and, when <paramref name="user"/> is given, acted by
    /// that user or belonging to a request that user made or that targets that user (chat id or Okta user id).
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> PageAsync(
        DateTimeOffset? from, DateTimeOffset? to, string? user, long afterId, int take, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Timestamps are stored as fixed-width round-trip UTC strings, so text comparison is time order.
        command.CommandText = """
            SELECT id, request_id, request_number, at, actor_id, actor_name, action, from_state, to_state, detail
            FROM audit
            WHERE id > @after
              AND (@from IS NULL OR at >= @from)
              AND (@to IS NULL OR at < @to)
              AND (@user IS NULL OR actor_id = @user OR request_id IN (
                    SELECT id FROM requests WHERE requester_id = @user OR target_user_id = @user))
            ORDER BY id
            LIMIT @take
            """;
        command.With("@after", afterId);
        command.With("@from", from is { } f ? Format(f) : DBNull.Value);
        command.With("@to", to is { } t ? Format(t) : DBNull.Value);
        command.With("@user", (object?)user ?? DBNull.Value);
        command.With("@take", take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(RequestStore.ReadAudit(reader));
        }

        return entries;
    }

}
