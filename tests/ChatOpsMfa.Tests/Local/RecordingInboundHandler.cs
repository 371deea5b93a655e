using System.Collections.Concurrent;
using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Tests.Local;

/// <summary>Records what the channel hands over and answers with whatever the test asks for.</summary>
internal sealed class RecordingInboundHandler(Func<IChatChannel, InboundMessage, CancellationToken, Task>? reply = null) : IInboundHandler
{
    public ConcurrentQueue<InboundMessage> Received { get; } = new();

    public async Task<InboundResult> HandleAsync(IChatChannel channel, InboundMessage message, CancellationToken cancellationToken)
    {
        Received.Enqueue(message);
        if (reply is not null)
        {
            await reply(channel, message, cancellationToken);
        }

        return InboundResult.None;
    }

    /// <summary>Replies "You said: ..." to text and "Got it" to card submissions.</summary>
    public static RecordingInboundHandler Echoing() => new((channel, message, cancellationToken) =>
        channel.PostAsync(message.Conversation, new ChatMessage(message.Text is null ? "Got it" : $"You said: {message.Text}"), cancellationToken));
}
