using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Local;

public sealed class DirectLineAuthorizationTests
{
    [Fact]
    public async Task Request_without_a_token_is_refused_with_401()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, _) = await host.Client.StartPersonalAsync("alice");

        var (status, body) = await host.Client.GetActivitiesAsync(conversationId, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.NotNull(body!["error"]!["message"]);
    }

    [Fact]
    public async Task Unknown_token_is_refused_with_403()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, _) = await host.Client.StartPersonalAsync("alice");

        var (status, body) = await host.Client.PostActivityAsync(conversationId, "not-a-token", WebChatActivities.Message("alice", "Alice", "hi"));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("TokenExpired", body!["error"]!["code"]!.GetValue<string>());
        Assert.Empty(host.Handler.Received);
    }

    [Fact]
    public async Task Unknown_conversation_is_404_with_a_direct_line_error()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, token) = await host.Client.StartPersonalAsync("alice");

        var (status, body) = await host.Client.GetActivitiesAsync("no-such-conversation", token);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("BadArgument", body!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("Conversation not found.", body["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_for_another_conversation_can_neither_read_nor_post()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (aliceConversation, aliceToken) = await host.Client.StartPersonalAsync("alice");
        await host.Client.PostActivityAsync(aliceConversation, aliceToken, WebChatActivities.Message("alice", "Alice", "private"));
        var (_, bobToken) = await host.Client.GenerateAsync("bob", "support");

        var (readStatus, _) = await host.Client.GetActivitiesAsync(aliceConversation, bobToken);
        var (postStatus, _) = await host.Client.PostActivityAsync(aliceConversation, bobToken, WebChatActivities.Message("bob", "Bob", "intrusion"));
        var (rejoinStatus, _) = await host.Client.SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{aliceConversation}", bobToken, null);

        Assert.Equal(HttpStatusCode.Forbidden, readStatus);
        Assert.Equal(HttpStatusCode.Forbidden, postStatus);
        Assert.Equal(HttpStatusCode.Forbidden, rejoinStatus);
        var (activities, _) = await host.Client.ReadAsync(aliceConversation, aliceToken);
        Assert.DoesNotContain(activities, a => a["text"]?.GetValue<string>() == "intrusion");
        Assert.Single(host.Handler.Received);
    }

    [Fact]
    public async Task Message_from_someone_else_than_the_token_user_is_refused_and_not_stored()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.GenerateAsync("bob", "support");

        var (status, body) = await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.PostBack("alice", "Alice", new JsonObject { ["action"] = "approve" }));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Forbidden", body!["error"]!["code"]!.GetValue<string>());
        Assert.Empty((await host.Client.ReadAsync(conversationId, token)).Activities);
        Assert.Empty(host.Handler.Received);
    }

    [Fact]
    public async Task Personal_conversation_cannot_be_joined_by_another_user()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (aliceConversation, _) = await host.Client.StartPersonalAsync("alice");

        var (status, _) = await host.Client.SendAsync(
            HttpMethod.Post, "/v3/directline/tokens/generate", null,
            new JsonObject { ["user"] = new JsonObject { ["id"] = "mallory" }, ["conversationId"] = aliceConversation }.ToJsonString());

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Starting_a_conversation_as_another_user_than_the_token_is_refused()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (_, token) = await host.Client.GenerateAsync("alice");

        var (status, _) = await host.Client.SendAsync(
            HttpMethod.Post, "/v3/directline/conversations", token,
            new JsonObject { ["user"] = new JsonObject { ["id"] = "bob" } }.ToJsonString());

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Theory]
    [InlineData("/v3/directline/tokens/generate", "POST")]
    [InlineData("/", "GET")]
    [InlineData("/local/info", "GET")]
    [InlineData("/lib/botframework-webchat/webchat.js", "GET")]
    public async Task Requests_from_another_machine_are_refused(string path, string method)
    {
        await using var host = await LocalChatTestHost.StartAsync(remoteAddress: IPAddress.Parse("192.168.1.20"));

        var (status, body) = await host.Client.SendAsync(new HttpMethod(method), path, null, method == "POST" ? "{}" : null);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Forbidden", body!["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("attacker.example")]
    [InlineData("192.168.1.20")]
    public async Task Requests_naming_another_host_are_refused_even_from_loopback(string host)
    {
        await using var local = await LocalChatTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/generate");
        request.Headers.Host = host;

        using var response = await local.Client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task IPv4_mapped_loopback_is_accepted()
    {
        await using var host = await LocalChatTestHost.StartAsync(remoteAddress: IPAddress.Loopback.MapToIPv6());

        var (conversationId, _) = await host.Client.GenerateAsync("alice");

        Assert.StartsWith("dl_", conversationId, StringComparison.Ordinal);
    }
}
