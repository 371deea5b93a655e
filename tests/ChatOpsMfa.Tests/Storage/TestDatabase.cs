using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// A migrated, empty database of either provider, for tests that must hold on both: a SQLite file in a temporary
/// folder, or a fresh database on the PostgreSQL test server (skipped without one, failed under CI).
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    private TestDatabase(StorageProvider provider, StorageDatabase database, string connectionString, IAsyncDisposable owner)
    {
        Provider = provider;
        Database = database;
        ConnectionString = connectionString;
        _owner = owner;
    }

    public StorageProvider Provider { get; }

    public StorageDatabase Database { get; }

    public string ConnectionString { get; }

    /// <summary>The settings a host needs to use this database.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = Provider.ToString(),
        ["ConnectionStrings:ChatOpsMfa"] = ConnectionString,
    };

    public static async Task<TestDatabase> CreateAsync(StorageProvider provider)
    {
        if (provider == StorageProvider.PostgreSQL)
        {
            var postgres = await PostgresTestDatabase.CreateMigratedAsync();
            return new TestDatabase(provider, postgres.Database, postgres.ConnectionString, postgres);
        }

        var sqlite = await TempDatabase.CreateAsync();
        return new TestDatabase(provider, sqlite.Database, sqlite.ConnectionString, sqlite);
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}
