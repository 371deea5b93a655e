namespace ChatOpsMfa.Storage;

/// <summary>
/// Creates or migrates the schema at start-up, before the workers (registered after it) touch the database. It stops
/// last, after them, and then empties the write-ahead log, so no old page versions stay on disk after shutdown.
/// </summary>
public sealed class StorageMigrator(SqliteDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => database.CheckpointAsync(cancellationToken);
}
