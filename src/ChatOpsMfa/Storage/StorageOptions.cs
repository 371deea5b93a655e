namespace ChatOpsMfa.Storage;

/// <summary>Where requests and the audit trail live: <c>ConnectionStrings:ChatOpsMfa</c>, a SQLite file by default.</summary>
public sealed class StorageOptions
{
    public const string DefaultConnectionString = "Data Source=chatopsmfa.db";

    public string ConnectionString { get; set; } = DefaultConnectionString;
}
