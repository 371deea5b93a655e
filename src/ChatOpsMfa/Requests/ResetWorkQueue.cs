using System.Threading.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Request ids waiting for their Okta work. The queue itself is not durable: the state is, and the worker re-queues
/// every request that still needs Okta work when it starts.
/// </summary>
public sealed class ResetWorkQueue
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(string requestId) => _queue.Writer.TryWrite(requestId);

    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken) => _queue.Reader.ReadAllAsync(cancellationToken);
}
