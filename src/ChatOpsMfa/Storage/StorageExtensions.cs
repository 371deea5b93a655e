namespace ChatOpsMfa.Storage;

public static class StorageExtensions
{
    /// <summary>SQLite storage from <c>ConnectionStrings:ChatOpsMfa</c>, migrated before anything else starts.</summary>
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().Configure(o =>
            o.ConnectionString = builder.Configuration.GetConnectionString("ChatOpsMfa") ?? StorageOptions.DefaultConnectionString);
        builder.Services.AddSingleton<SqliteDatabase>();
        builder.Services.AddSingleton<RequestStore>();
        builder.Services.AddHostedService<StorageMigrator>();
        // Registered after the migrator, so it stops before it and the migrator's final checkpoint comes last.
        builder.Services.AddSingleton<WalCheckpointer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WalCheckpointer>());
        return builder;
    }
}
