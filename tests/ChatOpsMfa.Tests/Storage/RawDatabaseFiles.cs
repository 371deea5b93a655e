using System.Text;
using Microsoft.Data.Sqlite;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>Reads what is on disk for a SQLite database: the main file and its write-ahead log, byte for byte.</summary>
internal static class RawDatabaseFiles
{
    public static string PathOf(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    /// <summary>Whether <paramref name="text"/> (UTF-8) occurs anywhere in the .db or -wal file.</summary>
    public static bool Contain(string connectionString, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        var path = PathOf(connectionString);
        return new[] { path, path + "-wal" }.Any(file => Read(file).AsSpan().IndexOf(needle) >= 0);
    }

    public static long WalLength(string connectionString) =>
        new FileInfo(PathOf(connectionString) + "-wal") is { Exists: true } wal ? wal.Length : 0;

    /// <summary>
    /// An open connection that has read the database, as a pooled connection in the running bot has: while it is open,
    /// closing the others does not checkpoint the WAL, so only the bot's own checkpoint can empty it.
    /// </summary>
    public static async Task<SqliteConnection> HoldOpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT COUNT(*) FROM schema_version";
        await read.ExecuteScalarAsync(cancellationToken);
        return connection;
    }

    private static byte[] Read(string file)
    {
        if (!File.Exists(file))
        {
            return [];
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
