using System.Data.Common;

namespace ChatOpsMfa.Storage;

/// <summary>
/// The bot's database, whichever provider holds it (<c>Storage:Provider</c>): opens connections, begins write
/// transactions, and creates or migrates the schema. Both providers have the same tables and schema versions; what
/// differs (types, triggers, locking) is said here and in the two subclasses, never in the stores.
/// </summary>
public abstract class StorageDatabase
{
    public abstract StorageProvider Provider { get; }

    /// <summary>
    /// Appended to a <c>SELECT</c> that picks rows to lease, so instances claiming at once skip each other's rows
    /// instead of queueing on them (PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c>). SQLite has one writer at a time, so
    /// the claim needs no clause there.
    /// </summary>
    internal abstract string SkipLocked { get; }

    /// <summary>How many schema versions this build knows (the migrations' count, the same for both providers).</summary>
    internal abstract int SchemaVersion { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>As <see cref="OpenAsync"/>, for callers whose interface is synchronous (Data Protection's key repository).</summary>
    public abstract DbConnection Open();

    /// <summary>
    /// A transaction that will write: SQLite takes its write lock up front (a deferred one could fail with BUSY half
    /// way); PostgreSQL reads committed data, with row locks and the stores' version checks doing the rest.
    /// </summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Creates the schema, or brings an older one up to date. Safe to call on every start, from every instance at once.</summary>
    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Called inside a write transaction before the next request number is read, so two instances creating requests at
    /// once never pick the same one. SQLite's write lock already serialises them.
    /// </summary>
    internal virtual Task LockRequestNumbersAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>
    /// Runs <paramref name="action"/> (making the Data Protection key ring's first key) while no other instance runs
    /// it, so instances starting together make one key. SQLite has one instance per file, and a transaction holding
    /// its write lock would block the key's own insert, so it just runs it.
    /// </summary>
    internal virtual Task WithKeyRingLockAsync(Action action, CancellationToken cancellationToken)
    {
        action();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Makes sure forgotten data (a finished request's contact details) leaves the disk: SQLite empties its write-ahead
    /// log. Returns false when a reader kept it from finishing. PostgreSQL has nothing to do here (its vacuum reclaims).
    /// </summary>
    public virtual Task<bool> CheckpointAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>A short description of a database error for a log line or a health check: a code, never a path or a password.</summary>
    public static string Describe(Exception error) => error switch
    {
        Microsoft.Data.Sqlite.SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}",
        Npgsql.PostgresException postgres => $"PostgreSQL error {postgres.SqlState}",
        Npgsql.NpgsqlException => "PostgreSQL connection failed",
        _ => error.GetType().Name,
    };
}
