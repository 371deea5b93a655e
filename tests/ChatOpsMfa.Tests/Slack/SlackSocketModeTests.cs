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

    [Fact]
    public async Task On_a_disconnect_warning_the_new_link_opens_before_the_old_one_closes()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?> { ["Slack:AppToken"] = FakeSlackApi.AppToken });
        _ = host.Services;

        var first = await slack.NextSocketAsync();
        await first.SendAsync(new JsonObject { ["type"] = "hello" });
        await first.SendAsync(new JsonObject { ["type"] = "disconnect", ["reason"] = "warning", ["debug_info"] = new JsonObject { ["host"] = "wss-1" } });

        // The bot opens the next link while the first one is still up and still acknowledging.
        var second = await slack.NextSocketAsync();
        await first.SendAsync(Envelope("env-old", "events_api", SlackPayloadsEvents.DirectMessage("EvOLD", "UALICE", "DALICE", "hello")));
        Assert.Equal("env-old", (await first.ReceiveAsync())["envelope_id"]!.GetValue<string>());

        // Once the new link has said hello, the old one is closed, and the new one carries on.
        await second.SendAsync(new JsonObject { ["type"] = "hello" });
        await first.WaitForCloseAsync();
        await second.SendAsync(Envelope("env-new", "events_api", SlackPayloadsEvents.DirectMessage("EvNEW", "UALICE", "DALICE", "hello")));
        Assert.Equal("env-new", (await second.ReceiveAsync())["envelope_id"]!.GetValue<string>());
        Assert.Equal(2, slack.CallsTo("apps.connections.open").Count());
        second.Drop();
    }

    [Fact]
    public async Task A_dead_link_that_never_answers_pings_is_replaced()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?>
        {
            ["Slack:AppToken"] = FakeSlackApi.AppToken,
            ["Slack:SocketPingInterval"] = "00:00:00.200",
            ["Slack:SocketPingTimeout"] = "00:00:00.500",
            ["Slack:SocketInitialBackoff"] = "00:00:00.100",
        });
        slack.SilenceNextSocket();
        _ = host.Services;

        // The server side of the first link never reads, so the bot's pings are never answered: silent but not closed.
        // The next one reads as Slack does, so it stays up however long this test takes to get to it.
        var dead = await slack.NextSocketAsync();
        await dead.SendAsync(new JsonObject { ["type"] = "hello" });

        var next = await slack.NextSocketAsync();
        await next.SendAsync(new JsonObject { ["type"] = "hello" });
        await next.SendAsync(Envelope("env-alive", "events_api", SlackPayloadsEvents.DirectMessage("EvALIVE", "UALICE", "DALICE", "hello")));
        Assert.Equal("env-alive", (await next.ReceiveAsync())["envelope_id"]!.GetValue<string>());
        Assert.Equal(2, slack.CallsTo("apps.connections.open").Count());
        dead.Drop();
        next.Drop();
    }

    [Fact]
    public void The_default_pings_are_every_5_seconds_with_a_10_second_timeout()
    {
        var defaults = new ChatOpsMfa.Channels.Slack.SlackOptions();

        Assert.Equal(TimeSpan.FromSeconds(5), defaults.SocketPingInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.SocketPingTimeout);
    }

    [Fact]
    public async Task Link_disabled_backs_off_for_the_longest_delay_instead_of_reconnecting_at_once()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?>
        {
            ["Slack:AppToken"] = FakeSlackApi.AppToken,
            ["Slack:SocketInitialBackoff"] = "00:00:00.100",
            ["Slack:SocketMaxBackoff"] = "00:00:01",
        });
        _ = host.Services;

        var first = await slack.NextSocketAsync();
        await first.SendAsync(new JsonObject { ["type"] = "hello" });
        await first.SendDisconnectAsync("link_disabled");

        var second = await slack.NextSocketAsync();
        Assert.Contains("link_disabled", host.Logs.AllText, StringComparison.Ordinal);
        Assert.Contains("reconnecting in 1s", host.Logs.AllText, StringComparison.Ordinal);
        second.Drop();
    }

    [Fact]
    public async Task Refresh_requested_reconnects_without_a_backoff()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?> { ["Slack:AppToken"] = FakeSlackApi.AppToken });
        _ = host.Services;

        var first = await slack.NextSocketAsync();
        await first.SendAsync(new JsonObject { ["type"] = "hello" });
        await first.SendDisconnectAsync("refresh_requested");
        var second = await slack.NextSocketAsync();

        Assert.DoesNotContain("reconnecting in", host.Logs.AllText, StringComparison.Ordinal);
        second.Drop();
    }

    private static JsonObject Envelope(string id, string type, JsonObject payload) => new()
    {
        ["envelope_id"] = id,
        ["type"] = type,
        ["accepts_response_payload"] = type != "events_api",
        ["payload"] = payload,
    };
}
