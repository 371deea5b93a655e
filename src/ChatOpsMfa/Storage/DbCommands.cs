using System.Data;
using System.Data.Common;
using System.Globalization;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Provider-neutral ADO.NET helpers. Parameters are written <c>@name</c>, which SQLite and Npgsql both read; a null is
/// sent as a typed text null, so PostgreSQL can tell what <c>@p IS NULL</c> compares.
/// </summary>
internal static class DbCommands
{
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        if (value is null or DBNull)
        {
            parameter.DbType = DbType.String;
            parameter.Value = DBNull.Value;
        }
        else
        {
            parameter.Value = value;
        }

        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>How every timestamp is stored, in both providers: fixed-width round-trip UTC text, so text order is time order.</summary>
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    public static string? TextOrNull(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
