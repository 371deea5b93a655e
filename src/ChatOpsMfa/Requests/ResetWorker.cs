namespace ChatOpsMfa.Requests;

/// <summary>
/// Runs approved requests' Okta work in the background, one at a time, so a click is answered at once. On start it
/// picks up whatever a previous process left unfinished.
/// </summary>
public sealed partial class ResetWorker(ResetWorkflowService requests, ResetWorkQueue queue, ILogger<ResetWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await requests.ResumeAsync(stoppingToken);
        await foreach (var requestId in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await requests.ExecuteAsync(requestId, stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // One broken request must not stop the others; it stays in its state and is resumed on restart.
                LogFailed(error, requestId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The Okta work for request {RequestId} stopped unexpectedly")]
    private partial void LogFailed(Exception error, string requestId);
}
