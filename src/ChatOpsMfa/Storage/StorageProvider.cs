namespace ChatOpsMfa.Storage;

/// <summary>Which database holds requests, the audit trail and the state instances share: <c>Storage:Provider</c>.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file: the default, for one instance (or several processes on one machine).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (Npgsql), for several instances behind a load balancer.</summary>
    PostgreSQL,
}
