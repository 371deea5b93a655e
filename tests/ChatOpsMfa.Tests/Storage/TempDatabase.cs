using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>A real SQLite file in a temporary folder, migrated, deleted afterwards.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-db-").FullName;

    public TempDatabase()
    {
        ConnectionString = $"Data Source={Path.Combine(_folder, "test.db")};Pooling=False";
        Database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = ConnectionString }));
        Checkpointer = new WalCheckpointer(Database);
    }

    public string ConnectionString { get; }

    public SqliteDatabase Database { get; }

    /// <summary>The background WAL checkpointer a store built on this database asks; only a test that starts it gets checkpoints.</summary>
    public WalCheckpointer Checkpointer { get; }

    public static async Task<TempDatabase> CreateAsync()
    {
        var db = new TempDatabase();
        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        return db;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
