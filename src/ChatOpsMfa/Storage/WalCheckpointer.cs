using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOpsMfa.Storage;

/// <summary>
/// Empties the write-ahead log in the background after a request ended and forgot its contact details, so the old
/// page versions that still hold them leave the disk without an approver's click waiting on the disk or on readers.
/// Requests made while one is pending are one checkpoint (it runs after all of them committed). A checkpoint readers
/// keep from finishing is tried again a few times; after that the next ended request, or shutdown
/// (<see cref="StorageMigrator"/>), finishes it.
/// </summary>
public sealed partial class WalCheckpointer(StorageDatabase database, ILogger<WalCheckpointer>? logger = null) : BackgroundService
{
    // Each attempt already waits up to the connection's busy_timeout for readers.
    internal const int MaxAttempts = 3;

    private readonly ILogger _logger = logger ?? NullLogger<WalCheckpointer>.Instance;

    private readonly Channel<bool> _due = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Asks for a checkpoint after what was just committed; returns at once.</summary>
    public void Request() => _due.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var _ in _due.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                for (var attempt = 1; attempt <= MaxAttempts; attempt++)
                {
                    if (await database.CheckpointAsync(stoppingToken))
                    {
                        break;
                    }
                }
            }
            catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(error);
            }
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error,
        Message = "Emptying the WAL in the background failed; the next ended request, or shutdown, empties it")]
    private partial void LogFailed(Exception error);
}
