using System.Text;
using Microsoft.Data.Sqlite;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// Every row of the tables that hold the bot's durable state (requests, audit, outbox), as one text. Two equal
/// snapshots mean nothing was created, changed or deleted in between.
/// </summary>
internal static class StateSnapshot
{
    private static readonly string[] Tables = ["requests", "audit", "outbox"];

    public static async Task<string> TakeAsync(string connectionString)
    {
        var text = new StringBuilder();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        foreach (var table in Tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY rowid";
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            var rows = 0;
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('|');
                }

                text.Append('\n');
            }

            text.Append(table).Append(": ").Append(rows).Append(" rows\n");
        }

        return text.ToString();
    }
}
