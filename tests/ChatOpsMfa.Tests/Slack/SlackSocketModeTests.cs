using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>Socket Mode against a local WebSocket server speaking Slack's envelope protocol.</summary>
public sealed class SlackSocketModeTests
{
    [Fact]
    public async Task Envelopes_are_handled_and_acknowledged_and_the_bot_reconnects_after_disconnect_and_drops()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?>
        {
            ["Slack:AppToken"] = FakeSlackApi.AppToken,
            ["Slack:SigningSecret"] = "", // Socket Mode needs no signing secret
            ["Slack:SocketInitialBackoff"] = "00:00:00.200",
        });
        _ = host.Services; // starts the host and its Socket Mode client

        // First connection: hello, then a slash command envelope, acknowledged by its id, opening the modal.
        var first = await slack.NextSocketAsync();
        Assert.Equal("Bearer " + FakeSlackApi.AppToken, slack.CallsTo("apps.connections.open").Single().Authorization);
        await first.SendAsync(new JsonObject { ["type"] = "hello", ["num_connections"] = 1 });
        await first.SendAsync(Envelope("env-1", "slash_commands", new JsonObject
        {
            ["command"] = "/mfa-reset", ["text"] = "", ["user_id"] = "UALICE", ["channel_id"] = "CGENERAL", ["trigger_id"] = "trigger-socket-1",
            ["team_id"] = FakeSlackApi.TeamId, ["api_app_id"] = FakeSlackApi.AppId,
        }));
        var ack = await first.ReceiveAsync();
        Assert.Equal("env-1", ack["envelope_id"]!.GetValue<string>());
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.open").Any(), "views.open over Socket Mode");
        Assert.Equal("trigger-socket-1", slack.CallsTo("views.open").Single().Body["trigger_id"]!.GetValue<string>());

        // Slack asks to disconnect: the bot closes and opens a fresh connection.
        await first.SendDisconnectAsync("refresh_requested");
        var second = await slack.NextSocketAsync();
        Assert.Equal(2, slack.CallsTo("apps.connections.open").Count());

        // Field errors travel back in the acknowledgement's payload, as response_action.
        await second.SendAsync(new JsonObject { ["type"] = "hello" });
        await second.SendAsync(Envelope("env-2", "interactive", SlackPayloads.ViewSubmission("UALICE", "VSOCK", "token:software:totp", "RSA")));
        var errorAck = await second.ReceiveAsync();
        Assert.Equal("env-2", errorAck["envelope_id"]!.GetValue<string>());
        Assert.Equal("errors", errorAck["payload"]!["response_action"]!.GetValue<string>());
        Assert.NotNull(errorAck["payload"]!["errors"]!["provider"]);

        // The connection drops without a word: the bot backs off and reconnects, and the new socket works.
        second.Drop();
        var third = await slack.NextSocketAsync();
        await third.SendAsync(new JsonObject { ["type"] = "hello" });
        await third.SendAsync(Envelope("env-3", "events_api", SlackPayloadsEvents.DirectMessage("EvSOCK", "UALICE", "DALICE", "hello")));
        Assert.Equal("env-3", (await third.ReceiveAsync())["envelope_id"]!.GetValue<string>());
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DALICE"), "the help reply");
        Assert.Equal(3, slack.CallsTo("apps.connections.open").Count());
        Assert.Empty(await host.AllRequestsAsync());
    }

    [Fact]
    public async Task A_malformed_envelope_is_acknowledged_but_changes_nothing()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?> { ["Slack:AppToken"] = FakeSlackApi.AppToken });
        _ = host.Services;

        var socket = await slack.NextSocketAsync();
        await socket.SendAsync(new JsonObject { ["type"] = "hello" });
        await socket.SendAsync(Envelope("env-bad", "interactive", new JsonObject { ["type"] = "block_actions", ["user"] = new JsonObject { ["id"] = "UBOB" } }));

        var ack = await socket.ReceiveAsync();
        Assert.Equal("env-bad", ack["envelope_id"]!.GetValue<string>());
        Assert.Null(ack["payload"]);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(["apps.connections.open"], slack.Calls.Select(c => c.Method));
        socket.Drop();
    }

    private static JsonObject Envelope(string id, string type, JsonObject payload) => new()
    {
        ["envelope_id"] = id,
        ["type"] = type,
        ["accepts_response_payload"] = type != "events_api",
        ["payload"] = payload,
    };
}
