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
        return builder;
    }
}
