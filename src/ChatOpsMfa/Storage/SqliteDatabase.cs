using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Storage;

/// <summary>Opens connections to the SQLite database and creates or migrates its schema.</summary>
public sealed partial class SqliteDatabase(IOptions<StorageOptions> options, ILogger<SqliteDatabase>? logger = null) : StorageDatabase
{
    // secure_delete zeroes what a delete or update frees, so a copy of the file does not keep forgotten data.
    // It is a per-connection setting (pooled connections included), so every open sets it.
    private const string ConnectionPragmas = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;";

    private readonly ILogger _logger = logger ?? NullLogger<SqliteDatabase>.Instance;

    // Each entry is one schema version; append, never edit, so existing databases migrate forward.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE requests (
            id TEXT PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE,
            state TEXT NOT NULL,
            version INTEGER NOT NULL,
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
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            request_id TEXT NOT NULL,
            request_number INTEGER NOT NULL,
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
        CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """,
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
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
        // The ASP.NET Core Data Protection key ring (SqliteKeyRepository): one row per key or revocation XML element.
        // Rows are only ever added; Data Protection keeps expired keys to read old payloads.
        """
        CREATE TABLE data_protection_keys (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            friendly_name TEXT NOT NULL,
            xml TEXT NOT NULL
        );
        """,
        // The Teams member map and serviceUrls (TeamsDirectoryStore), learnt only from validated activities and rosters.
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
        CREATE INDEX teams_members_aad ON teams_members(aad_object_id COLLATE NOCASE);
        CREATE INDEX teams_members_email ON teams_members(email COLLATE NOCASE);
        CREATE INDEX teams_members_upn ON teams_members(user_principal_name COLLATE NOCASE);
        CREATE TABLE teams_service_urls (
            tenant_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL,
            service_url TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant_id, conversation_id)
        );
        """,
        // Several instances on one database (issue 12): leases on each request's Okta work and outbox delivery, named
        // cluster-wide leases for the sweeps, and the state every instance must share. Lookups by address fold case
        // with lower(), as PostgreSQL does.
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

    public override StorageProvider Provider => StorageProvider.Sqlite;

    internal override string SkipLocked => "";

    internal override int SchemaVersion => Migrations.Length;

    public string ConnectionString { get; } = options.Value.ConnectionString;

    /// <summary>
    /// Empties the write-ahead log into the database file and truncates it, so old page versions (which may hold what
    /// was since deleted) leave the disk. Returns false when a reader kept it from finishing; the next call finishes it.
    /// </summary>
    public override async Task<bool> CheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await using var reader = await checkpoint.ExecuteReaderAsync(cancellationToken);
        var complete = await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) == 0;
        if (!complete)
        {
            LogCheckpointBusy();
        }

        return complete;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning,
        Message = "The WAL checkpoint could not finish because the database was busy; the next one (at the latest at shutdown) will")]
    private partial void LogCheckpointBusy();

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenSqliteAsync(cancellationToken);

    public override DbConnection Open() => OpenSqlite();

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Microsoft.Data.Sqlite begins a Serializable transaction with BEGIN IMMEDIATE: the write lock is taken up front.
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);

    private async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = ConnectionPragmas;
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private SqliteConnection OpenSqlite()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = ConnectionPragmas;
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Creates the schema, or brings an older one up to date. Safe to call on every start.</summary>
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenSqliteAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = Convert.ToInt32(await Scalar(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version", cancellationToken));
        for (var version = current; version < Migrations.Length; version++)
        {
            await using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[version] + $"; INSERT INTO schema_version (version) VALUES ({version + 1});";
            await migrate.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
