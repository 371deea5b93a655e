namespace ChatOpsMfa.Storage;

/// <summary>Creates or migrates the schema at start-up, before the workers (registered after it) touch the database.</summary>
public sealed class StorageMigrator(SqliteDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
