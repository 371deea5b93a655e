using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// One schema for both providers: after migrating, SQLite and PostgreSQL have the same tables with the same column
/// names at the same schema version, migrating again changes nothing, and instances migrating one fresh PostgreSQL
/// database at once (several starting together) all succeed and record each version once.
/// </summary>
public class SchemaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string SqliteColumns = """
        SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
        WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
        """;

    private const string PostgresColumns = """
        SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'
        """;

    [Fact]
    public async Task Both_providers_have_the_same_tables_columns_and_schema_version()
    {
        await using var sqlite = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        await using var postgres = await TestDatabase.CreateAsync(StorageProvider.PostgreSQL);

        var sqliteSchema = await SchemaAsync(sqlite);
        var postgresSchema = await SchemaAsync(postgres);

        Assert.Equal(sqliteSchema.Keys.Order(StringComparer.Ordinal), postgresSchema.Keys.Order(StringComparer.Ordinal));
        foreach (var (table, columns) in sqliteSchema)
        {
            Assert.True(columns.SetEquals(postgresSchema[table]),
                $"{table}: SQLite has {string.Join(", ", columns.Order())}; PostgreSQL has {string.Join(", ", postgresSchema[table].Order())}");
        }

        Assert.Contains("requests", sqliteSchema.Keys);
        Assert.Contains("work_holder", sqliteSchema["requests"]);
        Assert.Contains("slack_deliveries", sqliteSchema.Keys);
        var versions = await VersionsAsync(sqlite.Database);
        Assert.Equal(versions, await VersionsAsync(postgres.Database));
        Assert.Equal(Enumerable.Range(1, sqlite.Database.SchemaVersion), versions);
        Assert.Equal(sqlite.Database.SchemaVersion, postgres.Database.SchemaVersion);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.PostgreSQL)]
    public async Task Migrating_again_changes_nothing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var schema = await SchemaAsync(db);
        var versions = await VersionsAsync(db.Database);

        await db.Database.MigrateAsync(Ct);
        await db.Database.MigrateAsync(Ct);

        var again = await SchemaAsync(db);
        Assert.Equal(schema.Keys.Order(StringComparer.Ordinal), again.Keys.Order(StringComparer.Ordinal));
        Assert.All(schema, t => Assert.True(t.Value.SetEquals(again[t.Key]), t.Key));
        Assert.Equal(versions, await VersionsAsync(db.Database));
    }

    [Fact]
    public async Task Three_instances_migrating_one_fresh_PostgreSQL_database_at_once_all_succeed()
    {
        await using var fresh = await PostgresTestDatabase.CreateAsync();
        var instances = Enumerable.Range(0, 3)
            .Select(_ => new PostgresDatabase(Microsoft.Extensions.Options.Options.Create(
                new StorageOptions { Provider = StorageProvider.PostgreSQL, ConnectionString = fresh.ConnectionString })))
            .ToArray();
        try
        {
            // Each on its own thread and connection, released together, as three processes starting at once.
            using var go = new ManualResetEventSlim();
            var migrations = instances.Select(i => Task.Run(async () =>
            {
                go.Wait(Ct);
                await i.MigrateAsync(Ct);
            }, Ct)).ToArray();
            go.Set();
            await Task.WhenAll(migrations);

            Assert.Equal(Enumerable.Range(1, fresh.Database.SchemaVersion), await VersionsAsync(fresh.Database));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    /// <summary>Every table (schema_version included) and its column names, read from the database's own catalogue.</summary>
    private static async Task<Dictionary<string, HashSet<string>>> SchemaAsync(TestDatabase db)
    {
        await using var connection = await db.Database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = db.Provider == StorageProvider.Sqlite ? SqliteColumns : PostgresColumns;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var schema = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(Ct))
        {
            var table = reader.GetString(0);
            if (!schema.TryGetValue(table, out var columns))
            {
                schema[table] = columns = new HashSet<string>(StringComparer.Ordinal);
            }

            columns.Add(reader.GetString(1));
        }

        return schema;
    }

    private static async Task<List<int>> VersionsAsync(StorageDatabase database)
    {
        await using var connection = await database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var versions = new List<int>();
        while (await reader.ReadAsync(Ct))
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }

        return versions;
    }
}
