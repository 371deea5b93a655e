namespace ChatOpsMfa.Storage;

/// <summary>
/// Creates or migrates the schema at start-up, before the workers (registered after it) touch the database. It stops
/// last, after them, and then empties the write-ahead log, so no old page versions stay on disk after shutdown.
/// </summary>
public sealed class StorageMigrator(StorageDatabase database) : IHostedService
{
    private readonly Lock _stopping = new();
    private Task? _checkpoint;

    public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    /// <summary>
    /// Checkpoints once, and every caller waits for that one: a host can be stopped twice at once (a test host stops
    /// it while Program's RunAsync does too), and neither may return while the database is still being written.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopping)
        {
            return _checkpoint ??= database.CheckpointAsync(cancellationToken);
        }
    }
}
