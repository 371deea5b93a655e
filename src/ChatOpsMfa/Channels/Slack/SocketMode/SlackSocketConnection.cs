using System.Net.WebSockets;

namespace ChatOpsMfa.Channels.Slack.SocketMode;

/// <summary>
/// One Socket Mode WebSocket and what has happened on it: Slack's <c>hello</c>, a <c>disconnect</c> warning (the link
/// closes soon, so the next one should be opened first), and how its receive loop ended.
/// </summary>
internal sealed class SlackSocketConnection(ClientWebSocket socket) : IDisposable
{
    public ClientWebSocket Socket { get; } = socket;

    public TaskCompletionSource Hello { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Warned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The receive loop; it completes with the way the connection ended.</summary>
    public Task<SlackSocketEnd> Ended { get; set; } = Task.FromResult(SlackSocketEnd.Dropped);

    /// <summary>Closes the socket politely and waits (bounded) for its receive loop to finish.</summary>
    public async Task CloseAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            if (Socket.State == WebSocketState.Open)
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", cancellationToken);
            }

            await Ended.WaitAsync(TimeSpan.FromSeconds(5), time, cancellationToken);
        }
        catch (Exception error) when (error is WebSocketException or TimeoutException)
        {
            Socket.Abort(); // the old link is being replaced anyway
        }
    }

    public void Dispose() => Socket.Dispose();
}
