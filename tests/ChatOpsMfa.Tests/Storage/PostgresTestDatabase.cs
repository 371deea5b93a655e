using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// A fresh, empty PostgreSQL database on the test server, dropped afterwards. The server comes from
/// <c>CHATOPSMFA_TEST_POSTGRES</c> (an Npgsql connection string to a superuser on loopback), which <c>.ci/run</c> sets
/// after installing and starting PostgreSQL. Without it the test skips, saying why; under <c>CI=true</c> it fails.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "CHATOPSMFA_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name;

    private PostgresTestDatabase(string server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        Database = new PostgresDatabase(Options.Create(new StorageOptions { Provider = StorageProvider.PostgreSQL, ConnectionString = ConnectionString }));
    }

    public string ConnectionString { get; }

    /// <summary>The provider over this database (not migrated: <see cref="CreateMigratedAsync"/> is).</summary>
    public PostgresDatabase Database { get; }

    /// <summary>The server's connection string, or a skip (a failure under CI) naming what is missing.</summary>
    public static string RequireServer()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (!string.IsNullOrWhiteSpace(server))
        {
            return server;
        }

        var reason = $"No PostgreSQL server: set {ServerVariable} (bash .ci/postgres.sh starts one and prints it).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason + " Under CI=true this test must run.");
        }

        Assert.Skip(reason);
        return null!;
    }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var server = RequireServer();
        var name = "chatopsmfa_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        return new PostgresTestDatabase(server, name);
    }

    public static async Task<PostgresTestDatabase> CreateMigratedAsync()
    {
        var db = await CreateAsync();
        await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
