using System.Collections.Concurrent;
using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Stands in for the core where a test checks only what the Slack adapter hands over: records each message, waits for
/// <see cref="Gate"/> (open unless a test closes it), and answers with <see cref="Notice"/>.
/// </summary>
internal sealed class RecordingInboundHandler : IInboundHandler
{
    private readonly ConcurrentQueue<InboundMessage> _received = new();

    public IReadOnlyList<InboundMessage> Received => [.. _received];

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Handled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Notice { get; init; }

    public RecordingInboundHandler(bool open = true)
    {
        if (open)
        {
            Gate.SetResult();
        }
    }

    public async Task<InboundResult> HandleAsync(IChatChannel channel, InboundMessage message, CancellationToken cancellationToken)
    {
        _received.Enqueue(message);
        await Gate.Task.WaitAsync(cancellationToken);
        Handled.TrySetResult();
        return new InboundResult(Notice: Notice);
    }
}
