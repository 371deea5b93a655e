using ChatOpsMfa.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOpsMfa.Telemetry;

/// <summary>Ready only when the database opens and holds the bot's schema (an empty file where it was is not ready).</summary>
internal sealed class DatabaseHealthCheck(StorageDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM outbox";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // The error code only: the message could name the file's path, the server or the user.
            return HealthCheckResult.Unhealthy($"The database cannot be read ({StorageDatabase.Describe(e)}).");
        }
    }
}
