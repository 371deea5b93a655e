using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// The database from <c>Storage:Provider</c> and <c>ConnectionStrings:ChatOpsMfa</c>, migrated before anything else
    /// starts, with the leases that let several instances share it.
    /// </summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        var options = Read(builder.Configuration);
        builder.Services.AddSingleton(Options.Create(options));
        if (options.Provider == StorageProvider.PostgreSQL)
        {
            builder.Services.AddSingleton<PostgresDatabase>();
            builder.Services.AddSingleton<StorageDatabase>(services => services.GetRequiredService<PostgresDatabase>());
        }
        else
        {
            builder.Services.AddSingleton<SqliteDatabase>();
            builder.Services.AddSingleton<StorageDatabase>(services => services.GetRequiredService<SqliteDatabase>());
        }

        builder.Services.AddSingleton<RequestStore>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<InstanceIdentity>();
        builder.Services.AddSingleton<WorkLeases>();
        builder.Services.AddHostedService<StorageMigrator>();
        builder.Services.AddHostedService<LeaseReleaser>();
        // Registered after the migrator, so it stops before it and the migrator's final checkpoint comes last.
        builder.Services.AddSingleton<WalCheckpointer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WalCheckpointer>());
        return builder;
    }

    /// <summary>
    /// Reads and checks the storage settings. A provider that is not known, or PostgreSQL without its connection
    /// string, stops start-up naming the key; only SQLite has an embedded default.
    /// </summary>
    public static StorageOptions Read(IConfiguration configuration)
    {
        var providerText = configuration[$"{StorageOptions.Section}:Provider"];
        var provider = StorageProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText))
        {
            // By name only: Enum.TryParse also takes a number, and "1" would quietly be PostgreSQL.
            var name = Enum.GetNames<StorageProvider>()
                .FirstOrDefault(n => string.Equals(n, providerText.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                    [$"Storage:Provider must be Sqlite or PostgreSQL (it is '{providerText}')."]);
            provider = Enum.Parse<StorageProvider>(name);
        }

        var connectionString = configuration.GetConnectionString("ChatOpsMfa");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == StorageProvider.PostgreSQL)
            {
                throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                    [$"{StorageOptions.ConnectionStringKey} is required when Storage:Provider is PostgreSQL (an Npgsql connection string)."]);
            }

            connectionString = StorageOptions.DefaultConnectionString;
        }

        try
        {
            _ = provider == StorageProvider.PostgreSQL
                ? new Npgsql.NpgsqlConnectionStringBuilder(connectionString)
                : (System.Data.Common.DbConnectionStringBuilder)new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            // Never echo the value: it may hold the database password.
            throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                [$"{StorageOptions.ConnectionStringKey} is not a valid {provider} connection string."]);
        }

        return new StorageOptions { Provider = provider, ConnectionString = connectionString };
    }
}
