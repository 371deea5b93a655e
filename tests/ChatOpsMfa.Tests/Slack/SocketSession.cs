using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// The server side of one Socket Mode connection, driven by a test as Slack would drive it. Like Slack's servers it
/// reads all the time, so the bot's pings are answered even while the test is busy elsewhere (a stalled test on a
/// loaded machine must not look like a dead link); only a link made <c>silent</c> never reads, never answers a ping.
/// </summary>
internal sealed class SocketSession
{
    private readonly WebSocket _socket;
    private readonly Channel<JsonObject> _messages = Channel.CreateUnbounded<JsonObject>();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SocketSession(WebSocket socket, bool silent = false)
    {
        _socket = socket;
        if (silent)
        {
            _messages.Writer.TryComplete(new InvalidOperationException("A silent link reads nothing."));
        }
        else
        {
            _ = ReadAsync();
        }
    }

    public Task Finished => _finished.Task;

    public Task SendAsync(JsonObject message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message from the bot, e.g. an envelope acknowledgement; bounded wait.</summary>
    public async Task<JsonObject> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            return await _messages.Reader.ReadAsync(timeout.Token);
        }
        catch (ChannelClosedException closed)
        {
            throw new InvalidOperationException("The bot closed the socket.", closed.InnerException);
        }
    }

    /// <summary>Sends the <c>disconnect</c> message Slack sends before it rotates a connection, then waits for the bot's close.</summary>
    public async Task SendDisconnectAsync(string reason)
    {
        await SendAsync(new JsonObject { ["type"] = "disconnect", ["reason"] = reason });
        await WaitForCloseAsync();
    }

    /// <summary>Waits (bounded) until the bot has closed this connection and the close was answered; messages before that are skipped.</summary>
    public async Task WaitForCloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await _messages.Reader.WaitToReadAsync(timeout.Token))
        {
            while (_messages.Reader.TryRead(out _))
            {
            }
        }

        await _finished.Task.WaitAsync(timeout.Token);
    }

    /// <summary>Drops the connection without a goodbye, as a network failure would (a link already closed stays closed).</summary>
    public void Drop()
    {
        if (_finished.Task.IsCompleted)
        {
            return;
        }

        _socket.Abort();
        _finished.TrySetResult();
    }

    /// <summary>Reads every frame as it comes (the runtime answers pings while a read is pending) until the bot closes.</summary>
    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Slack answers a close at once.
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    _messages.Writer.TryComplete();
                    _finished.TrySetResult();
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    _messages.Writer.TryWrite((JsonObject)JsonNode.Parse(message.ToArray())!);
                    message.SetLength(0);
                }
            }
        }
        catch (Exception error)
        {
            // Dropped (by the test or the bot), or not a message Slack could read: a reader waiting for one hears why.
            // The connection's request stays open until the test drops it, as an unread dead link would.
            _messages.Writer.TryComplete(error);
        }
    }
}
