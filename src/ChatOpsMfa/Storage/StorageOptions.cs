namespace ChatOpsMfa.Storage;

/// <summary>
/// Where requests and the audit trail live: <c>Storage:Provider</c> (SQLite by default) and
/// <c>ConnectionStrings:ChatOpsMfa</c>, that provider's connection string (a SQLite file by default).
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string ConnectionStringKey = "ConnectionStrings:ChatOpsMfa";
    public const string DefaultConnectionString = "Data Source=chatopsmfa.db";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    public string ConnectionString { get; set; } = DefaultConnectionString;
}
