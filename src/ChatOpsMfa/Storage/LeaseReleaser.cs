namespace ChatOpsMfa.Storage;

/// <summary>
/// At a clean shutdown, after the workers stopped (it is registered before them, so it stops after them), gives back
/// every lease this instance holds: in a rolling restart the other instances take its work at once instead of
/// waiting <c>Outbox:LeaseTimeout</c>. A killed instance never gets here; its leases simply run out.
/// </summary>
public sealed partial class LeaseReleaser(WorkLeases leases, ILogger<LeaseReleaser> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
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
