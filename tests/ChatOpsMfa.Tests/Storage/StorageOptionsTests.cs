using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Flow;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// <c>Storage:Provider</c> and <c>ConnectionStrings:ChatOpsMfa</c>: a setting that cannot work stops the real host's
/// start-up naming the key, and a connection string (which may hold the database password) is never echoed.
/// </summary>
public class StorageOptionsTests
{
    private const string FakePassword = "Pa55-fake-db-secret-4f1c";

    [Fact]
    public void PostgreSQL_without_a_connection_string_stops_startup_naming_the_key()
    {
        using var host = new FlowHost(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["ConnectionStrings:ChatOpsMfa"] = null,
        });

        var error = Record.Exception(() => host.Services);

        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings:ChatOpsMfa", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("PostgreSQL", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Oracle")]
    [InlineData("Postgres")]
    [InlineData("1")] // a number Enum.TryParse would accept, were it not checked
    public void An_unknown_provider_stops_startup_naming_the_key(string provider)
    {
        using var host = new FlowHost(new Dictionary<string, string?> { ["Storage:Provider"] = provider });

        var error = Record.Exception(() => host.Services);

        Assert.NotNull(error);
        Assert.Contains("Storage:Provider", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PostgreSQL", $"Host=db.example.com;Username=bot;Password={FakePassword};Pooling Mode=Sometimes")]
    [InlineData("PostgreSQL", $"Host=db.example.com;Password={FakePassword};=dangling")]
    [InlineData("Sqlite", $"Data Source=bot.db;Password={FakePassword};Journal=Off")]
    public void An_invalid_connection_string_is_refused_without_echoing_it(string provider, string connectionString)
    {
        using var host = new FlowHost(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["ConnectionStrings:ChatOpsMfa"] = connectionString,
        });

        var error = Record.Exception(() => host.Services);

        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings:ChatOpsMfa", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakePassword, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.Lines, l => l.Text.Contains(FakePassword, StringComparison.Ordinal));
    }

    [Fact]
    public void By_default_the_store_is_the_embedded_SQLite_file()
    {
        var options = StorageExtensions.Read(new ConfigurationBuilder().Build());

        Assert.Equal(StorageProvider.Sqlite, options.Provider);
        Assert.Equal("Data Source=chatopsmfa.db", options.ConnectionString);
    }

    [Fact]
    public void Without_a_provider_the_host_runs_on_SQLite_and_the_name_is_read_without_case()
    {
        using (var defaulted = new FlowHost())
        {
            Assert.IsType<SqliteDatabase>(defaulted.Services.GetRequiredService<StorageDatabase>());
        }

        using var named = new FlowHost(new Dictionary<string, string?> { ["Storage:Provider"] = "sqlite" });
        Assert.IsType<SqliteDatabase>(named.Services.GetRequiredService<StorageDatabase>());
    }
}
