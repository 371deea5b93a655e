namespace ChatOpsMfa.Storage;

/// <summary>
/// At a clean shutdown, after the workers stopped (it is registered before them, so it stops after them), gives back
/// every lease this instance holds: in a rolling restart the other instances take its work at once instead of
/// waiting <c>Outbox:LeaseTimeout</c>. A killed instance never gets here; its leases simply run out.
/// </summary>
public sealed partial class LeaseReleaser(WorkLeases leases, ILogger<LeaseReleaser> logger) : IHostedService
{
    private readonly Lock _stopping = new();
    private Task? _release;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Gives back once, and every caller waits for that one (as <see cref="StorageMigrator"/> checkpoints once): a host
    /// can be stopped twice at once (a test host stops it while Program's RunAsync does too), and a second release
    /// that started late would still write to the database after the host's owner saw it stopped and moved on.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopping)
        {
            return _release ??= ReleaseAsync(cancellationToken);
        }
    }

    private async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await leases.ReleaseAllAsync(cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            LogFailed(StorageDatabase.Describe(error));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back this instance's leases at shutdown failed ({Problem}); they run out on their own")]
    private partial void LogFailed(string problem);
}
