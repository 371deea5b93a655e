using System.Threading.Channels;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// Work that runs after Slack has been answered: a bounded queue drained by a few workers in parallel. Slack wants an
/// acknowledgement within 3 s, and waiting on the work before acknowledging is what produces <c>operation_timeout</c>.
/// </summary>
public abstract partial class SlackWorkQueue(int capacity, int workers, ILogger logger) : BackgroundService
{
    private readonly Channel<(string What, Func<CancellationToken, Task> Work)> _queue =
        Channel.CreateBounded<(string, Func<CancellationToken, Task>)>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });

    /// <summary>
    /// How long an acknowledgement waits for room in a full queue before it answers 503. Under a burst the queue fills
    /// whenever Slack's deliveries come faster than the work drains; answering 503 at once made a slash command fail for
    /// its sender (Slack retries no command), while a short wait lets the acknowledgements slow to the pace of the work,
    /// as Bolt's do, and still answers well within Slack's 3 s.
    /// </summary>
    public static readonly TimeSpan MaxWaitForRoom = TimeSpan.FromSeconds(1);

    /// <summary>Queues <paramref name="work"/>; false when the queue is full (the caller answers 503 and Slack retries).</summary>
    public bool TryEnqueue(string what, Func<CancellationToken, Task> work) => _queue.Writer.TryWrite((what, work));

    /// <summary>
    /// Queues <paramref name="work"/>, waiting up to <see cref="MaxWaitForRoom"/> for room; false when there was none
    /// (the caller answers 503).
    /// </summary>
    public async ValueTask<bool> EnqueueAsync(string what, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (_queue.Writer.TryWrite((what, work)))
        {
            return true;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(MaxWaitForRoom);
        try
        {
            await _queue.Writer.WriteAsync((what, work), wait.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => DrainAsync(stoppingToken)));

    private async Task DrainAsync(CancellationToken stoppingToken)
    {
        await foreach (var (what, work) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await work(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // One failed delivery must not stop the workers; the error type and message name the cause (never a secret).
                LogWorkFailed(logger, what, error.GetType().Name, error.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack background work '{What}' failed: {Error}: {Message}")]
    private static partial void LogWorkFailed(ILogger logger, string what, string error, string message);
}
