using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>The server side of one Socket Mode connection, driven by a test as Slack would drive it.</summary>
internal sealed class SocketSession(WebSocket socket)
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Finished => _finished.Task;

    public Task SendAsync(JsonObject message) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message from the bot, e.g. an envelope acknowledgement; bounded wait.</summary>
    public async Task<JsonObject> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The bot closed the socket.");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (JsonObject)JsonNode.Parse(message.ToArray())!;
            }
        }
    }

    /// <summary>Sends the <c>disconnect</c> message Slack sends before it rotates a connection, then waits for the bot's close.</summary>
    public async Task SendDisconnectAsync(string reason)
    {
        await SendAsync(new JsonObject { ["type"] = "disconnect", ["reason"] = reason });
        await WaitForCloseAsync();
    }

    /// <summary>Waits (bounded) until the bot closes this connection, answering its close; messages before that are skipped.</summary>
    public async Task WaitForCloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[1024];
        while ((await socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
        {
        }

        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        _finished.TrySetResult();
    }

    /// <summary>Drops the connection without a goodbye, as a network failure would.</summary>
    public void Drop()
    {
        socket.Abort();
        _finished.TrySetResult();
    }
}
