using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Local;

public sealed class LocalChatChannelTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ephemeral_message_is_only_returned_to_its_user()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, bobToken) = await host.Client.GenerateAsync("bob", "support");
        var (_, carolToken) = await host.Client.GenerateAsync("carol", "support");
        var bob = new ChatUser("bob", "Bob", "bob@example.com");

        await host.Channel.PostEphemeralAsync(host.Channel.SupportConversation, bob, new ChatMessage("Only you can see this"), Cancel);

        var (bobSees, _) = await host.Client.ReadAsync("support", bobToken);
        var (carolSees, carolWatermark) = await host.Client.ReadAsync("support", carolToken);
        var ephemeral = Assert.Single(bobSees);
        Assert.Equal("Only you can see this", ephemeral["text"]!.GetValue<string>());
        Assert.Equal("bob", ephemeral["recipient"]!["id"]!.GetValue<string>());
        Assert.Empty(carolSees);
        Assert.Equal("1", carolWatermark);
    }

    [Fact]
    public async Task Ephemeral_message_is_hidden_from_a_token_without_a_user()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, anonymousToken) = await host.Client.GenerateAsync(conversationId: "support");

        await host.Channel.PostEphemeralAsync(host.Channel.SupportConversation, new ChatUser("bob", "Bob"), new ChatMessage("secret"), Cancel);

        Assert.Empty((await host.Client.ReadAsync("support", anonymousToken)).Activities);
    }

    [Fact]
    public async Task Update_resends_the_same_activity_id_with_new_content_at_a_new_watermark()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, token) = await host.Client.GenerateAsync("bob", "support");
        var posted = await host.Channel.PostAsync(host.Channel.SupportConversation, new ChatMessage("Pending approval"), Cancel);
        var (before, watermark) = await host.Client.ReadAsync("support", token);
        host.Time.Advance(TimeSpan.FromMinutes(2));

        await host.Channel.UpdateAsync(posted, new ChatMessage("Approved by Bob"), Cancel);

        var (changes, newWatermark) = await host.Client.ReadAsync("support", token, watermark);
        var (fresh, _) = await host.Client.ReadAsync("support", token);
        var update = Assert.Single(changes);
        Assert.Equal(posted.MessageId, update["id"]!.GetValue<string>());
        Assert.Equal("Approved by Bob", update["text"]!.GetValue<string>());
        Assert.Equal(before[0]["timestamp"]!.GetValue<string>(), update["timestamp"]!.GetValue<string>());
        Assert.True(long.Parse(newWatermark, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(watermark, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Approved by Bob", Assert.Single(fresh)["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_of_a_thread_reply_stays_in_the_thread()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, carolToken) = await host.Client.GenerateAsync("carol", "support");
        var conversation = host.Channel.SupportConversation;
        var posted = await host.Channel.ReplyInThreadAsync(
            await host.Channel.PostAsync(conversation, new ChatMessage("root"), Cancel), new ChatMessage("in thread"), Cancel);

        await host.Channel.UpdateAsync(posted, new ChatMessage("edited"), Cancel);

        var (activities, _) = await host.Client.ReadAsync("support", carolToken);
        var edited = Assert.Single(activities, a => a["id"]!.GetValue<string>() == posted.MessageId);
        Assert.Equal("edited", edited["text"]!.GetValue<string>());
        Assert.Equal(posted.ThreadId, edited["replyToId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Card_without_a_registered_renderer_fails_clearly_and_text_still_works()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Development",
            ContentRootPath = RepoPaths.WebProject,
        });
        builder.AddLocalChat();
        await using var app = builder.Build();
        var channel = app.Services.GetRequiredService<IChatChannel>();

        var text = await channel.PostAsync(channel.SupportConversation, new ChatMessage("plain"), Cancel);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            channel.PostAsync(channel.SupportConversation, new ChatMessage("card", new CardContent("approval", [])), Cancel));

        Assert.Equal("support", text.Conversation.ConversationId);
        Assert.Contains("ILocalCardRenderer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_of_an_ephemeral_message_stays_private()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, bobToken) = await host.Client.GenerateAsync("bob", "support");
        var (_, carolToken) = await host.Client.GenerateAsync("carol", "support");
        await host.Channel.PostEphemeralAsync(host.Channel.SupportConversation, new ChatUser("bob", "Bob"), new ChatMessage("secret v1"), Cancel);
        var ephemeralId = Assert.Single((await host.Client.ReadAsync("support", bobToken)).Activities)["id"]!.GetValue<string>();

        await host.Channel.UpdateAsync(new MessageRef(host.Channel.SupportConversation, ephemeralId), new ChatMessage("secret v2"), Cancel);

        Assert.Equal("secret v2", Assert.Single((await host.Client.ReadAsync("support", bobToken)).Activities)["text"]!.GetValue<string>());
        Assert.Empty((await host.Client.ReadAsync("support", carolToken)).Activities);
    }

    [Fact]
    public async Task Thread_replies_point_at_the_root_even_when_replying_to_a_reply()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, token) = await host.Client.GenerateAsync("bob", "support");
        var root = await host.Channel.PostAsync(host.Channel.SupportConversation, new ChatMessage("Request #7"), Cancel);

        var first = await host.Channel.ReplyInThreadAsync(root, new ChatMessage("Approved"), Cancel);
        var second = await host.Channel.ReplyInThreadAsync(first, new ChatMessage("Factor enrolled"), Cancel);

        Assert.Equal(root.MessageId, first.ThreadId);
        Assert.Equal(root.MessageId, second.ThreadId);
        var (activities, _) = await host.Client.ReadAsync("support", token);
        Assert.Equal(
            [null, root.MessageId, root.MessageId],
            activities.Select(a => a["replyToId"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Card_becomes_an_adaptive_card_attachment_with_the_text_as_its_summary()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");
        var conversation = await host.Channel.OpenDirectAsync(new ChatUser("alice", "Alice"), Cancel);
        var card = new CardContent("factor-picker", new JsonObject { ["requestId"] = "req-1" });

        await host.Channel.PostAsync(conversation, new ChatMessage("Pick a factor", card), Cancel);

        var (activities, _) = await host.Client.ReadAsync(conversationId, token);
        var message = Assert.Single(activities);
        Assert.Equal("Pick a factor", message["summary"]!.GetValue<string>());
        Assert.Null(message["text"]);
        var attachment = Assert.Single(message["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Equal("factor-picker", attachment["content"]!["body"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("req-1", attachment["content"]!["actions"]![0]!["data"]!["requestId"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenDirect_returns_the_latest_personal_conversation_of_the_user()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        await host.Client.StartPersonalAsync("alice");
        var (latest, _) = await host.Client.StartPersonalAsync("alice");
        await host.Client.StartPersonalAsync("bob");

        var direct = await host.Channel.OpenDirectAsync(new ChatUser("alice", "Alice"), Cancel);

        Assert.Equal(new ConversationRef("local", latest, IsGroup: false), direct);
    }

    [Fact]
    public async Task OpenDirect_creates_a_conversation_for_a_user_who_has_none()
    {
        await using var host = await LocalChatTestHost.StartAsync();

        var first = await host.Channel.OpenDirectAsync(new ChatUser("dave", "Dave"), Cancel);
        var second = await host.Channel.OpenDirectAsync(new ChatUser("dave", "Dave"), Cancel);
        await host.Channel.PostAsync(first, new ChatMessage("hello Dave"), Cancel);

        Assert.False(first.IsGroup);
        Assert.Equal(first, second);
        var (_, token) = await host.Client.GenerateAsync("dave", first.ConversationId);
        Assert.Equal("hello Dave", Assert.Single((await host.Client.ReadAsync(first.ConversationId, token)).Activities)["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Handler_failure_becomes_a_polite_bot_message_not_a_server_error()
    {
        var failing = new RecordingInboundHandler((_, _, _) => throw new InvalidOperationException("boom"));
        await using var host = await LocalChatTestHost.StartAsync(failing);
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");

        var (status, _) = await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.Message("alice", "Alice", "/mfa-reset"));

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var (activities, _) = await host.Client.ReadAsync(conversationId, token);
        Assert.Equal(
            ["/mfa-reset", "Sorry, something went wrong while handling your message. Please try again in a moment."],
            activities.Select(a => a["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Posting_to_a_conversation_of_another_channel_is_a_programming_error()
    {
        await using var host = await LocalChatTestHost.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            host.Channel.PostAsync(new ConversationRef("slack", "C123"), new ChatMessage("hi"), Cancel));
    }

    [Fact]
    public async Task History_keeps_only_the_configured_number_of_activities()
    {
        await using var host = await LocalChatTestHost.StartAsync(settings: new Dictionary<string, string?> { ["LocalChat:MaxActivitiesPerConversation"] = "3" });
        var (_, token) = await host.Client.GenerateAsync("bob", "support");

        for (var i = 1; i <= 5; i++)
        {
            await host.Channel.PostAsync(host.Channel.SupportConversation, new ChatMessage($"m{i}"), Cancel);
        }

        var (activities, watermark) = await host.Client.ReadAsync("support", token);
        Assert.Equal(["m3", "m4", "m5"], activities.Select(a => a["text"]!.GetValue<string>()));
        Assert.Equal("5", watermark);
    }
}
