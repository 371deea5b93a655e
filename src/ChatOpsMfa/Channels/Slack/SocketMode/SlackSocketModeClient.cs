using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack.Inbound;
using ChatOpsMfa.Channels.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack.SocketMode;

/// <summary>
/// Socket Mode, for workspaces that cannot expose a public URL: <c>apps.connections.open</c> with the app token, a
/// WebSocket to the URL it returns, every envelope handed to the same dispatcher as the HTTP endpoints and
/// acknowledged by its <c>envelope_id</c>. A <c>disconnect</c> message reconnects at once; a dropped connection or a
/// failed open reconnects after a doubling backoff.
/// </summary>
public sealed partial class SlackSocketModeClient(
    SlackApiClient api,
    SlackInboundDispatcher dispatcher,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackSocketModeClient> logger) : BackgroundService
{
    private const int MaxMessageBytes = 1024 * 1024;

    /// <summary>How many connections were opened so far (for health and tests).</summary>
    public int Connections { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = options.Value.SocketInitialBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            SocketEnd end;
            try
            {
                var url = await api.OpenSocketConnectionAsync(stoppingToken);
                if (!IsAllowed(url))
                {
                    throw new SlackApiException("apps.connections.open", "insecure_url", "Socket Mode needs a wss:// URL");
                }

                using var socket = new ClientWebSocket();
                await socket.ConnectAsync(url, stoppingToken);
                Connections++;
                end = await ReceiveAsync(socket, () => backoff = options.Value.SocketInitialBackoff, stoppingToken);
            }
            // A timeout or a refused call must not end the loop: an exception out of a BackgroundService stops the host.
            catch (Exception error) when (
                error is WebSocketException or HttpRequestException or IOException or OperationCanceledException &&
                !stoppingToken.IsCancellationRequested)
            {
                LogConnectionFailed(error.GetType().Name, error.Message);
                end = SocketEnd.Dropped;
            }

            if (end == SocketEnd.DisconnectRequested || stoppingToken.IsCancellationRequested)
            {
                continue;
            }

            LogReconnecting(backoff.TotalSeconds);
            await Task.Delay(backoff, time, stoppingToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.SocketMaxBackoff.Ticks));
        }
    }

    private async Task<SocketEnd> ReceiveAsync(ClientWebSocket socket, Action connected, CancellationToken cancellationToken)
    {
        while (socket.State == WebSocketState.Open)
        {
            var text = await ReadMessageAsync(socket, cancellationToken);
            if (text is null)
            {
                return SocketEnd.Dropped;
            }

            if (Parse(text) is not { } message)
            {
                LogUnreadable();
                continue;
            }

            switch (message["type"]?.GetValue<string>())
            {
                case "hello":
                    connected();
                    LogConnected();
                    break;
                case "disconnect":
                    LogDisconnectRequested(message["reason"]?.ToString() ?? "unknown");
                    await CloseQuietlyAsync(socket, cancellationToken);
                    return SocketEnd.DisconnectRequested;
                case "events_api" or "slash_commands" or "interactive":
                    await AcknowledgeAsync(socket, message, cancellationToken);
                    break;
            }
        }

        return SocketEnd.Dropped;
    }

    private async Task AcknowledgeAsync(ClientWebSocket socket, JsonObject envelope, CancellationToken cancellationToken)
    {
        if (envelope["envelope_id"] is not JsonValue id || !id.TryGetValue<string>(out var envelopeId))
        {
            LogUnreadable();
            return;
        }

        var payload = envelope["payload"] as JsonObject;
        var ack = payload is null ? SlackAck.Malformed("an envelope without a payload") : envelope["type"]!.GetValue<string>() switch
        {
            "events_api" => dispatcher.HandleEvent(payload),
            "slash_commands" => dispatcher.HandleCommand(payload
                .Where(p => p.Value is JsonValue)
                .ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal)),
            _ => dispatcher.HandleInteraction(payload),
        };
        if (ack.Problem is not null)
        {
            LogEnvelopeProblem(ack.Problem);
        }

        // Every envelope is acknowledged, even a malformed one: otherwise Slack redelivers it forever.
        var answer = new JsonObject { ["envelope_id"] = envelopeId };
        if (ack.Body is { } body)
        {
            answer["payload"] = body;
        }

        await socket.SendAsync(Encoding.UTF8.GetBytes(answer.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
    }

    private static async Task<string?> ReadMessageAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Write(chunk, 0, result.Count);
            if (buffer.Length > MaxMessageBytes)
            {
                return null;
            }

            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            }
        }
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", cancellationToken);
        }
    }

    // Slack hands out wss:// URLs; plain ws:// is accepted only on this machine, for the local test server.
    private static bool IsAllowed(Uri url) =>
        url.Scheme == "wss" || (url.Scheme == "ws" && url.IsLoopback);

    private static JsonObject? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private enum SocketEnd
    {
        Dropped,
        DisconnectRequested,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode connected")]
    private partial void LogConnected();

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack asked to disconnect ({Reason}); reconnecting")]
    private partial void LogDisconnectRequested(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection failed: {Error}: {Message}")]
    private partial void LogConnectionFailed(string error, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode reconnecting in {Seconds}s")]
    private partial void LogReconnecting(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode sent a message that is not a JSON envelope")]
    private partial void LogUnreadable();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode envelope acknowledged but not processed: {Problem}")]
    private partial void LogEnvelopeProblem(string problem);
}
