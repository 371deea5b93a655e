using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>
/// The in-process flow tests, on the storage provider the class names: SQLite here (each host on its own temporary
/// file, as <see cref="BotTestHost"/> makes it), and again on PostgreSQL in the <c>…OnPostgreSQL</c> subclasses
/// (<see cref="FlowTestsOnPostgreSQL"/> and its neighbours), where every test gets a fresh, empty database that its hosts
/// migrate at start and that is dropped afterwards.
/// </summary>
public abstract class FlowTestsOnEitherStore : IAsyncLifetime
{
    private PostgresTestDatabase? _postgres;

    protected virtual StorageProvider Provider => StorageProvider.Sqlite;

    public async ValueTask InitializeAsync()
    {
        if (Provider == StorageProvider.PostgreSQL)
        {
            _postgres = await PostgresTestDatabase.CreateAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The settings that put a host on this test's store (none for SQLite: the host makes its own file).</summary>
    private protected IReadOnlyDictionary<string, string?> StoreSettings => _postgres is null
        ? new Dictionary<string, string?>()
        : new Dictionary<string, string?>
        {
            ["Storage:Provider"] = nameof(StorageProvider.PostgreSQL),
            ["ConnectionStrings:ChatOpsMfa"] = _postgres.ConnectionString,
        };

    /// <summary>A <see cref="FlowHost"/> on this test's store; the test's own settings come on top.</summary>
    private protected FlowHost NewHost(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>(StoreSettings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new FlowHost(all, services);
    }
}
