using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatOpsMfa.Storage;

/// <summary>
/// The bot's database on a PostgreSQL server (<c>Storage:Provider=PostgreSQL</c>), for several instances at once. The
/// tables, columns and schema versions are SQLite's (<see cref="SqliteDatabase"/>); timestamps are the same
/// fixed-width UTC text, so both providers order and compare them alike.
/// </summary>
public sealed class PostgresDatabase : StorageDatabase, IAsyncDisposable, IDisposable
{
    // pg_advisory_xact_lock keys: one for migrating, one for handing out request numbers, one for the key ring's first key. Arbitrary, fixed, ours.
    private const long MigrationLock = 0x43_68_61_74_4F_70_01;
    private const long RequestNumberLock = 0x43_68_61_74_4F_70_02;
    private const long KeyRingLock = 0x43_68_61_74_4F_70_03;

    // Each entry is one schema version, mirroring SqliteDatabase's; append, never edit.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE requests (
            id TEXT PRIMARY KEY,
            number BIGINT NOT NULL UNIQUE,
            state TEXT NOT NULL,
            version BIGINT NOT NULL,
            requester_id TEXT NOT NULL,
            target_user_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            data TEXT NOT NULL
        );
        CREATE INDEX requests_state ON requests(state);
        CREATE INDEX requests_target ON requests(target_user_id, state);
        CREATE TABLE audit (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            request_id TEXT NOT NULL,
            request_number BIGINT NOT NULL,
            at TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            actor_name TEXT NOT NULL,
            action TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT,
            detail TEXT
        );
        CREATE INDEX audit_request ON audit(request_id);
        CREATE INDEX audit_at ON audit(at);
        CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit trail is append-only';
        END
        $$;
        CREATE TRIGGER audit_append_only_update BEFORE UPDATE OR DELETE ON audit
            FOR EACH ROW EXECUTE FUNCTION audit_append_only();
        CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit
            FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
        """,
        """
        CREATE TABLE outbox (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            request_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            payload TEXT,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT
        );
        CREATE INDEX outbox_due ON outbox(next_attempt_at);
        CREATE INDEX outbox_request ON outbox(request_id, id);
        """,
        """
        CREATE TABLE data_protection_keys (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            friendly_name TEXT NOT NULL,
            xml TEXT NOT NULL
        );
        """,
        """
        CREATE TABLE teams_members (
            tenant_id TEXT NOT NULL,
            member_id TEXT NOT NULL,
            aad_object_id TEXT,
            email TEXT,
            user_principal_name TEXT,
            name TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant_id, member_id)
        );
        CREATE TABLE teams_service_urls (
            tenant_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            service_url TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant_id, conversation_id)
        );
        """,
        """
        ALTER TABLE requests ADD COLUMN work_holder TEXT;
        ALTER TABLE requests ADD COLUMN work_until TEXT;
        ALTER TABLE requests ADD COLUMN outbox_holder TEXT;
        ALTER TABLE requests ADD COLUMN outbox_until TEXT;
        ALTER TABLE requests ADD COLUMN watch_pending INTEGER NOT NULL DEFAULT 0;
        UPDATE requests SET watch_pending = 1
            WHERE state IN ('EnrollingFactor', 'EnrollFailed', 'AwaitingActivation', 'RemovingFactor', 'ActivationFailed', 'Completed');
        CREATE INDEX requests_watch_pending ON requests(watch_pending);
        CREATE TABLE cluster_leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE TABLE slack_deliveries (
            delivery_key TEXT PRIMARY KEY,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX slack_deliveries_expiry ON slack_deliveries(expires_at);
        CREATE TABLE on_behalf_drafts (
            id TEXT PRIMARY KEY,
            requester_id TEXT NOT NULL,
            target TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX on_behalf_drafts_expiry ON on_behalf_drafts(expires_at);
        CREATE INDEX teams_members_aad_folded ON teams_members(lower(aad_object_id));
        CREATE INDEX teams_members_email_folded ON teams_members(lower(email));
        CREATE INDEX teams_members_upn_folded ON teams_members(lower(user_principal_name));
        """,
    ];

    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(IOptions<StorageOptions> options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
        builder.ApplicationName ??= "ChatOpsMfa";
        _source = NpgsqlDataSource.Create(builder);
    }

    public override StorageProvider Provider => StorageProvider.PostgreSQL;

    internal override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    internal override int SchemaVersion => Migrations.Length;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken);

    public override DbConnection Open() => _source.OpenConnection();

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);

    /// <summary>The advisory lock is held by a transaction on a connection of its own; the action writes on others.</summary>
    internal override async Task WithKeyRingLockAsync(Action action, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.Command("SELECT pg_advisory_xact_lock(@key)", transaction).With("@key", KeyRingLock))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        action();
        await transaction.CommitAsync(cancellationToken);
    }

    internal override async Task LockRequestNumbersAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT pg_advisory_xact_lock(@key)", transaction).With("@key", RequestNumberLock);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Instances starting together migrate one at a time: each takes a transaction-scoped advisory lock first, so the
    /// second finds the schema the first made and does nothing.
    /// </summary>
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockSchema = connection.Command("SELECT pg_advisory_xact_lock(@key)", transaction).With("@key", MigrationLock))
        {
            await lockSchema.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var create = connection.Command("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var read = connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version", transaction);
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        for (var version = current; version < Migrations.Length; version++)
        {
            await using var migrate = connection.Command(Migrations[version], transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken);
            await using var record = connection.Command("INSERT INTO schema_version (version) VALUES (@v)", transaction).With("@v", version + 1);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    public void Dispose() => _source.Dispose();
}
