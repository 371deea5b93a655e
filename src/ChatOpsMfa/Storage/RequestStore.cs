using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatOpsMfa.Requests;
using System.Data.Common;

using static ChatOpsMfa.Storage.DbCommands;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Persists reset requests with optimistic concurrency, and writes each save's transitions to the audit trail in the
/// same transaction, so the history can never disagree with the state. A request's phone number and email are
/// stored protected (<see cref="ContactDetailsProtector"/>), never in plaintext.
/// </summary>
public sealed class RequestStore(StorageDatabase database, ContactDetailsProtector contacts, WalCheckpointer checkpointer)
{
    private readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new FactorRequestJsonConverter(contacts) },
    };

    /// <summary>Stores a new request, gives it the next request number, and audits its creation.</summary>
    public async Task CreateAsync(ResetRequest request, AuditNote created, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        await database.LockRequestNumbersAsync(connection, transaction, cancellationToken);
        await using (var next = Command(connection, transaction, "SELECT COALESCE(MAX(number), 0) + 1 FROM requests"))
        {
            request.Number = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        request.Version = 1;
        await using (var insert = Command(connection, transaction, """
            INSERT INTO requests (id, number, state, version, requester_id, target_user_id, created_at, updated_at, expires_at, watch_pending, data)
            VALUES (@id, @number, @state, 1, @requester, @target, @created, @updated, @expires, @watch, @data)
            """))
        {
            BindRow(insert, request);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertAuditAsync(connection, transaction, request, created.ActorId, created.ActorName, created.Action, null,
            request.State.ToString(), created.Detail, request.CreatedAt, cancellationToken);
        foreach (var transition in request.DrainTransitions())
        {
            await InsertTransitionAsync(connection, transaction, request, transition, cancellationToken);
        }

        await Outbox.AddAsync(connection, transaction, request.Id, messages, request.CreatedAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Saves the request if nobody saved it since it was loaded; otherwise changes nothing and says so.
    /// The transitions it made are audited in the same transaction.
    /// </summary>
    public async Task<SaveOutcome> SaveAsync(ResetRequest request, CancellationToken cancellationToken) =>
        await SaveAsync(request, [], cancellationToken);

    /// <summary>As <see cref="SaveAsync(ResetRequest, CancellationToken)"/>, and queues the chat messages the change calls for, atomically.</summary>
    public async Task<SaveOutcome> SaveAsync(ResetRequest request, IReadOnlyList<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        await using (var update = Command(connection, transaction, """
            UPDATE requests SET state = @state, version = version + 1, updated_at = @updated, expires_at = @expires,
                watch_pending = @watch, data = @data
            WHERE id = @id AND version = @version
            """))
        {
            BindRow(update, request);
            update.With("@version", request.Version);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return SaveOutcome.Conflict;
            }
        }

        var transitions = request.DrainTransitions();
        foreach (var transition in transitions)
        {
            await InsertTransitionAsync(connection, transaction, request, transition, cancellationToken);
        }

        await Outbox.AddAsync(connection, transaction, request.Id, messages, request.UpdatedAt, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        request.Version++;
        if (request.IsFinished && transitions.Count > 0)
        {
            // The request just ended and forgot its contact details; the WAL still holds the page versions with them.
            // Emptied in the background: a TRUNCATE checkpoint does disk I/O and waits on readers, not for a click.
            checkpointer.Request();
        }

        return SaveOutcome.Saved;
    }

    /// <summary>Adds a line to the audit trail that is not a transition (a refused click, a notification).</summary>
    public async Task AuditAsync(ResetRequest request, AuditNote note, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertAuditAsync(connection, transaction, request, note.ActorId, note.ActorName, note.Action,
            request.State.ToString(), request.State.ToString(), note.Detail, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ResetRequest?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT data, version FROM requests WHERE id = @p", id, cancellationToken)).SingleOrDefault();

    public async Task<ResetRequest?> FindByNumberAsync(long number, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT data, version FROM requests WHERE number = @p", number, cancellationToken)).SingleOrDefault();

    /// <summary>Requests in any of the given states, oldest first.</summary>
    public Task<IReadOnlyList<ResetRequest>> ListInStatesAsync(IEnumerable<RequestState> states, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT data, version FROM requests WHERE state IN ({StateList(states)}) ORDER BY number", null, cancellationToken);

    /// <summary>Requests whose System Log watch still has a stretch to read (an index, not a scan of every finished request).</summary>
    public Task<IReadOnlyList<ResetRequest>> ListWatchPendingAsync(CancellationToken cancellationToken) =>
        QueryAsync("SELECT data, version FROM requests WHERE watch_pending = 1 ORDER BY number", null, cancellationToken);

    /// <summary>The oldest request for this Okta user in one of the given states, if any.</summary>
    public async Task<ResetRequest?> FindForTargetAsync(string targetUserId, IEnumerable<RequestState> states, CancellationToken cancellationToken) =>
        (await QueryAsync(
            $"SELECT data, version FROM requests WHERE target_user_id = @p AND state IN ({StateList(states)}) ORDER BY number LIMIT 1",
            targetUserId, cancellationToken)).SingleOrDefault();

    private static readonly RequestState[] ResetCarriedOut =
    [
        RequestState.EnrollingFactor, RequestState.EnrollFailed, RequestState.AwaitingActivation, RequestState.RemovingFactor,
        RequestState.ActivationFailed, RequestState.Completed,
    ];

    // Enum names only, never user input, so they can be inlined.
    private static string StateList(IEnumerable<RequestState> states) => string.Join(",", states.Select(s => $"'{s}'"));

    /// <summary>
    /// When each reset of this Okta user was carried out (its factors were reset, whether or not the new factor was
    /// activated since), since <paramref name="since"/>.
    /// </summary>
    public async Task<IReadOnlyList<DateTimeOffset>> CompletedResetTimesAsync(string targetUserId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT updated_at FROM requests WHERE target_user_id = @t AND state IN ({StateList(ResetCarriedOut)}) AND updated_at >= @since";
        command.With("@t", targetUserId);
        command.With("@since", Format(since));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var times = new List<DateTimeOffset>();
        while (await reader.ReadAsync(cancellationToken))
        {
            times.Add(DbCommands.ParseTime(reader.GetString(0)));
        }

        return times;
    }

    /// <summary>The audit trail of one request, oldest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> AuditTrailAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, request_id, request_number, at, actor_id, actor_name, action, from_state, to_state, detail
            FROM audit WHERE request_id = @id ORDER BY id
            """;
        command.With("@id", requestId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadAudit(reader));
        }

        return entries;
    }

    internal static AuditEntry ReadAudit(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetInt64(2),
        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9));

    private async Task<IReadOnlyList<ResetRequest>> QueryAsync(string sql, object? parameter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (parameter is not null)
        {
            command.With("@p", parameter);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var requests = new List<ResetRequest>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var request = JsonSerializer.Deserialize<ResetRequest>(reader.GetString(0), _json)
                ?? throw new InvalidOperationException("A stored request could not be read.");
            request.Version = reader.GetInt64(1);
            requests.Add(request);
        }

        return requests;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql) =>
        connection.Command(sql, transaction);

    private void BindRow(DbCommand command, ResetRequest request)
    {
        command.With("@id", request.Id);
        command.With("@number", request.Number);
        command.With("@state", request.State.ToString());
        command.With("@requester", request.Requester.Id);
        command.With("@target", request.Target.OktaUserId);
        command.With("@created", Format(request.CreatedAt));
        command.With("@updated", Format(request.UpdatedAt));
        command.With("@expires", Format(request.ExpiresAt));
        command.With("@watch", request.WatchPending ? 1 : 0);
        command.With("@data", JsonSerializer.Serialize(request, _json));
    }

    private static Task InsertTransitionAsync(
        DbConnection connection, DbTransaction transaction, ResetRequest request, RequestTransition transition, CancellationToken cancellationToken) =>
        InsertAuditAsync(connection, transaction, request, transition.By.User.Id, transition.By.User.Name, transition.Trigger.ToString(),
            transition.From.ToString(), transition.To.ToString(), transition.Detail, transition.At, cancellationToken);

    private static async Task InsertAuditAsync(
        DbConnection connection,
        DbTransaction transaction,
        ResetRequest request,
        string actorId,
        string actorName,
        string action,
        string? fromState,
        string? toState,
        string? detail,
        DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var insert = Command(connection, transaction, """
            INSERT INTO audit (request_id, request_number, at, actor_id, actor_name, action, from_state, to_state, detail)
            VALUES (@request, @number, @at, @actor, @name, @action, @from, @to, @detail)
            """);
        insert.With("@request", request.Id);
        insert.With("@number", request.Number);
        insert.With("@at", Format(at));
        insert.With("@actor", actorId);
        insert.With("@name", actorName);
        insert.With("@action", action);
        insert.With("@from", (object?)fromState ?? DBNull.Value);
        insert.With("@to", (object?)toState ?? DBNull.Value);
        insert.With("@detail", (object?)detail ?? DBNull.Value);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

}
