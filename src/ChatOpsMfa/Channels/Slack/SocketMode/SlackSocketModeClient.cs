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
/// acknowledged by its <c>envelope_id</c>. The link is pinged (<see cref="SlackOptions.SocketPingInterval"/>) and
/// dropped when no pong comes back in time, so a dead link is noticed and replaced. On <c>disconnect</c>: reason
/// <c>warning</c> opens the new link before the old one closes; <c>link_disabled</c> backs off for the longest delay;
/// any other reason reconnects at once. A dropped link or a failed open reconnects after a doubling backoff.
/// (Socket Mode guide, docs.slack.dev; node-slack-sdk SocketModeClient pings every 5 s.)
/// </summary>
public sealed partial class SlackSocketModeClient(
    SlackApiClient api,
    SlackInboundDispatcher dispatcher,
    SlackInstallation installation,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackSocketModeClient> logger) : BackgroundService
{
    private const int MaxMessageBytes = 1024 * 1024;
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);
    private int _connections;

    /// <summary>How many connections were opened so far (for health and tests).</summary>
    public int Connections => Volatile.Read(ref _connections);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Payloads are checked against the installation; until it is known there is nothing to accept.
        await installation.WhenKnownAsync(stoppingToken);
        var settings = options.Value;
        var backoff = settings.SocketInitialBackoff;
        SlackSocketConnection? live = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan? wait = null;
                try
                {
                    live ??= await ConnectAsync(stoppingToken);
                    if (await Task.WhenAny(live.Ended, live.Warned.Task) == live.Warned.Task && !live.Ended.IsCompleted)
                    {
                        // Slack will close this link soon: open the next one first, close the old one once the new one
                        // has said hello, so no envelope is left without a link to arrive on.
                        var next = await ConnectAsync(stoppingToken);
                        await Task.WhenAny(next.Hello.Task, next.Ended, Task.Delay(HelloTimeout, time, stoppingToken));
                        await live.CloseAsync(time, stoppingToken);
                        live.Dispose();
                        live = next;
                        continue;
                    }

                    var end = await live.Ended;
                    if (live.Hello.Task.IsCompleted)
                    {
                        backoff = settings.SocketInitialBackoff;
                    }

                    live.Dispose();
                    live = null;
                    switch (end)
                    {
                        case SlackSocketEnd.DisconnectRequested:
                            break;
                        case SlackSocketEnd.LinkDisabled:
                            LogLinkDisabled();
                            wait = settings.SocketMaxBackoff;
                            break;
                        default:
                            wait = backoff;
                            backoff = Double(backoff);
                            break;
                    }
                }
                // A timeout or a refused call must not end the loop: an exception out of a BackgroundService stops the host.
                catch (Exception error) when (
                    error is WebSocketException or HttpRequestException or IOException or OperationCanceledException &&
                    !stoppingToken.IsCancellationRequested)
                {
                    LogConnectionFailed(error.GetType().Name, error.Message);
                    wait = backoff;
                    backoff = Double(backoff);
                }

                if (wait is { } delay && !stoppingToken.IsCancellationRequested)
                {
                    LogReconnecting(delay.TotalSeconds);
                    await Task.Delay(delay, time, stoppingToken);
                }
            }
        }
        finally
        {
            live?.Dispose();
        }
    }

    private TimeSpan Double(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.SocketMaxBackoff.Ticks));

    private async Task<SlackSocketConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var url = await api.OpenSocketConnectionAsync(cancellationToken);
        if (!IsAllowed(url))
        {
            throw new SlackApiException("apps.connections.open", "insecure_url", "Socket Mode needs a wss:// URL");
        }

        var socket = new ClientWebSocket();
        // Pings, and a link with no pong within the timeout is aborted: a dead link ends the receive loop instead of
        // waiting forever on a connection that will never deliver again.
        socket.Options.KeepAliveInterval = options.Value.SocketPingInterval;
        socket.Options.KeepAliveTimeout = options.Value.SocketPingTimeout;
        try
        {
            await socket.ConnectAsync(url, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Interlocked.Increment(ref _connections);
        var connection = new SlackSocketConnection(socket);
        connection.Ended = ReceiveAsync(connection, cancellationToken);
        return connection;
    }

    private async Task<SlackSocketEnd> ReceiveAsync(SlackSocketConnection connection, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var socket = connection.Socket;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var text = await ReadMessageAsync(socket, cancellationToken);
                if (text is null)
                {
                    return SlackSocketEnd.Dropped;
                }

                if (Parse(text) is not { } message)
                {
                    LogUnreadable();
                    continue;
                }

                switch (message["type"] is JsonValue type && type.TryGetValue<string>(out var name) ? name : null)
                {
                    case "hello":
                        connection.Hello.TrySetResult();
                        LogConnected();
                        break;
                    case "disconnect":
                        var reason = message["reason"] is JsonValue r && r.TryGetValue<string>(out var why) ? why : "unknown";
                        LogDisconnectRequested(reason);
                        if (reason == "warning")
                        {
                            connection.Warned.TrySetResult(); // keep receiving here until the next link is up
                            break;
                        }

                        await CloseQuietlyAsync(socket, cancellationToken);
                        return reason == "link_disabled" ? SlackSocketEnd.LinkDisabled : SlackSocketEnd.DisconnectRequested;
                    default:
                        await AcknowledgeAsync(socket, message, cancellationToken);
                        break;
                }
            }

            return SlackSocketEnd.Dropped;
        }
        catch (Exception error) when (error is WebSocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Includes a missed pong: the runtime aborts the socket after SocketPingTimeout.
            LogConnectionFailed(error.GetType().Name, error.Message);
            return SlackSocketEnd.Dropped;
        }
    }

    private async Task AcknowledgeAsync(ClientWebSocket socket, JsonObject envelope, CancellationToken cancellationToken)
    {
        if (envelope["envelope_id"] is not JsonValue id || !id.TryGetValue<string>(out var envelopeId))
        {
            LogUnreadable();
            return;
        }

        var payload = envelope["payload"] as JsonObject;
        var type = envelope["type"] is JsonValue t && t.TryGetValue<string>(out var name) ? name : null;
        var ack = payload is null ? SlackAck.Malformed("an envelope without a payload") : type switch
        {
            "events_api" => await dispatcher.HandleEventAsync(payload, cancellationToken),
            "slash_commands" => await dispatcher.HandleCommandAsync(payload
                .Where(p => p.Value is JsonValue)
                .ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal), cancellationToken),
            "interactive" => await dispatcher.HandleInteractionAsync(payload, cancellationToken),
            _ => SlackAck.Ok, // an envelope type this bot does not handle: acknowledged, nothing done
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode connected")]
    private partial void LogConnected();

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack asked to disconnect ({Reason})")]
    private partial void LogDisconnectRequested(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack disabled the Socket Mode link (link_disabled: is Socket Mode off for the app?); backing off")]
    private partial void LogLinkDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode connection failed: {Error}: {Message}")]
    private partial void LogConnectionFailed(string error, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode reconnecting in {Seconds}s")]
    private partial void LogReconnecting(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode sent a message that is not a JSON envelope")]
    private partial void LogUnreadable();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode envelope acknowledged but not processed: {Problem}")]
    private partial void LogEnvelopeProblem(string problem);
}
