using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Local;

public sealed class DirectLineConversationTests
{
    [Fact]
    public async Task Posted_message_is_echoed_with_server_id_and_clientActivityID()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");

        var (status, posted) = await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.Message("alice", "Alice", "/mfa-reset", "client-42"));

        Assert.Equal(HttpStatusCode.OK, status);
        var id = posted!["id"]!.GetValue<string>();
        var (activities, _) = await host.Client.ReadAsync(conversationId, token);
        var echo = Assert.Single(activities, a => a["id"]!.GetValue<string>() == id);
        Assert.Equal("client-42", echo["channelData"]!["clientActivityID"]!.GetValue<string>());
        Assert.Equal("/mfa-reset", echo["text"]!.GetValue<string>());
        Assert.Equal("user", echo["from"]!["role"]!.GetValue<string>());
        Assert.Equal(conversationId, echo["conversation"]!["id"]!.GetValue<string>());
        Assert.Equal("directline", echo["channelId"]!.GetValue<string>());
        Assert.Equal("2026-03-02T09:00:00.000Z", echo["timestamp"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bot_reply_follows_the_echo_in_the_same_stream()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");

        await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.Message("alice", "Alice", "hello"));

        var (activities, _) = await host.Client.ReadAsync(conversationId, token);
        Assert.Collection(
            activities,
            echo => Assert.Equal("hello", echo["text"]!.GetValue<string>()),
            reply =>
            {
                Assert.Equal("You said: hello", reply["text"]!.GetValue<string>());
                Assert.Equal("bot", reply["from"]!["role"]!.GetValue<string>());
            });
    }

    [Fact]
    public async Task Get_with_watermark_returns_only_newer_activities()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");
        await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.Message("alice", "Alice", "first", "c1"));
        var (_, watermark) = await host.Client.ReadAsync(conversationId, token);

        await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.Message("alice", "Alice", "second", "c2"));
        var (newer, nextWatermark) = await host.Client.ReadAsync(conversationId, token, watermark);
        var (nothing, sameWatermark) = await host.Client.ReadAsync(conversationId, token, nextWatermark);

        Assert.Equal(["second", "You said: second"], newer.Select(a => a["text"]!.GetValue<string>()));
        Assert.Empty(nothing);
        Assert.Equal(nextWatermark, sameWatermark);
    }

    [Fact]
    public async Task Handler_receives_the_user_message_with_local_identity()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");

        var (_, posted) = await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.Message("alice", "Alice", "/mfa-reset"));

        var inbound = Assert.Single(host.Handler.Received);
        Assert.Equal("/mfa-reset", inbound.Text);
        Assert.Null(inbound.Value);
        Assert.Equal(new ChatOpsMfa.Channels.ChatUser("alice", "Alice", "alice@example.com"), inbound.From);
        Assert.Equal(new ChatOpsMfa.Channels.ConversationRef("local", conversationId, IsGroup: false), inbound.Conversation);
        Assert.Equal(posted!["id"]!.GetValue<string>(), inbound.ActivityId);
    }

    [Fact]
    public async Task Card_submit_reaches_the_handler_as_a_value_without_text()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.GenerateAsync("bob", "support");
        var value = new JsonObject { ["action"] = "approve", ["requestId"] = "req-7" };

        var (status, _) = await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.PostBack("bob", "Bob", value));

        Assert.Equal(HttpStatusCode.OK, status);
        var inbound = Assert.Single(host.Handler.Received);
        Assert.Null(inbound.Text);
        Assert.Equal("approve", inbound.Value!["action"]!.GetValue<string>());
        Assert.Equal("req-7", inbound.Value["requestId"]!.GetValue<string>());
        Assert.True(inbound.Conversation.IsGroup);
        Assert.Equal("support", inbound.Conversation.ConversationId);
    }

    [Fact]
    public async Task Support_conversation_is_rejoined_by_id_and_shows_what_the_bot_posted_there()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        await host.Channel.PostAsync(host.Channel.SupportConversation, new ChatOpsMfa.Channels.ChatMessage("Approval needed"), TestContext.Current.CancellationToken);
        var (conversationId, token) = await host.Client.GenerateAsync("bob", "support");

        var (status, joined) = await host.Client.SendAsync(HttpMethod.Get, "/v3/directline/conversations/support?watermark=", token, null);
        var (activities, _) = await host.Client.ReadAsync("support", token);

        Assert.Equal("support", conversationId);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("support", joined!["conversationId"]!.GetValue<string>());
        Assert.Equal(token, joined["token"]!.GetValue<string>());
        Assert.Equal("Approval needed", Assert.Single(activities)["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Support_conversation_id_comes_from_configuration()
    {
        await using var host = await LocalChatTestHost.StartAsync(settings: new Dictionary<string, string?> { ["LocalChat:SupportConversationId"] = "it-approvals" });

        var (conversationId, _) = await host.Client.GenerateAsync("bob", "it-approvals");

        Assert.Equal("it-approvals", conversationId);
        Assert.Equal(new ChatOpsMfa.Channels.ConversationRef("local", "it-approvals", IsGroup: true), host.Channel.SupportConversation);
    }

    [Fact]
    public async Task Refreshed_token_works_and_an_expired_token_is_refused_with_403()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");
        host.Time.Advance(TimeSpan.FromMinutes(15));

        var (status, refreshed) = await host.Client.SendAsync(HttpMethod.Post, "/v3/directline/tokens/refresh", token, null);
        var newToken = refreshed!["token"]!.GetValue<string>();
        host.Time.Advance(TimeSpan.FromMinutes(20));
        var (oldStatus, oldBody) = await host.Client.GetActivitiesAsync(conversationId, token);
        var (newStatus, _) = await host.Client.GetActivitiesAsync(conversationId, newToken);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(conversationId, refreshed["conversationId"]!.GetValue<string>());
        Assert.NotEqual(token, newToken);
        Assert.Equal(HttpStatusCode.Forbidden, oldStatus);
        Assert.Equal("TokenExpired", oldBody!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, newStatus);
    }
}
