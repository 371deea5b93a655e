using System.Threading.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Wakes the outbox worker for a request whose owed chat messages were just stored, so a person's click or submit is
/// answered once its transition is saved and never waits for a chat platform. Only a wake-up: the messages
/// themselves are already durable in the outbox, and the worker's poll still finds them if a wake-up is lost.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<string> _due = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Asks for <paramref name="requestId"/>'s owed messages to be delivered now, in the background.</summary>
    public void Notify(string requestId) => _due.Writer.TryWrite(requestId);

    /// <summary>The requests woken, as they come.</summary>
    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken) => _due.Reader.ReadAllAsync(cancellationToken);
}
