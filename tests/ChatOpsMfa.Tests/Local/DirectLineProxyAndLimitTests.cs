using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Local;

namespace ChatOpsMfa.Tests.Local;

/// <summary>
/// A reverse proxy on this machine would make every visitor look like loopback, and an unauthenticated token
/// endpoint must not be able to fill the memory: both are refused with a clear error, and nothing is kept.
/// </summary>
public sealed class DirectLineProxyAndLimitTests
{
    [Theory]
    [InlineData("/v3/directline/tokens/generate", "POST", "Forwarded", "for=203.0.113.9;proto=https")]
    [InlineData("/v3/directline/tokens/generate", "POST", "X-Forwarded-For", "203.0.113.9")]
    [InlineData("/v3/directline/tokens/generate", "POST", "X-Forwarded-For", "127.0.0.1")]
    [InlineData("/v3/directline/tokens/generate", "POST", "Via", "1.1 proxy.example")]
    [InlineData("/v3/directline/tokens/generate", "POST", "X-Forwarded-Host", "chat.example")]
    [InlineData("/v3/directline/tokens/generate", "POST", "X-Real-IP", "203.0.113.9")]
    [InlineData("/", "GET", "Via", "1.1 proxy.example")]
    [InlineData("/local/info", "GET", "X-Forwarded-For", "203.0.113.9")]
    public async Task Requests_that_came_through_a_proxy_are_refused_and_create_nothing(string path, string method, string header, string value)
    {
        await using var host = await LocalChatTestHost.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.TryAddWithoutValidation(header, value);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"user":{"id":"mallory","name":"Mallory"}}""", System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await host.Client.Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Forbidden", body["error"]!["code"]!.GetValue<string>());
        Assert.Contains(header, body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, host.Service<LocalConversationStore>().PersonalCount);
        Assert.Equal(0, host.Service<DirectLineTokenIssuer>().LiveCount);
    }

    [Fact]
    public async Task A_message_relayed_by_a_proxy_is_refused_and_not_dispatched()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{conversationId}/activities");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Content = new StringContent(WebChatActivities.Message("alice", "Alice", "reset me").ToJsonString(), System.Text.Encoding.UTF8, "application/json");

        using var response = await host.Client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(host.Handler.Received);
        var (activities, _) = await host.Client.ReadAsync(conversationId, token);
        Assert.Empty(activities);
    }

    [Fact]
    public async Task Conversations_are_capped_with_a_clear_error()
    {
        await using var host = await LocalChatTestHost.StartAsync(settings: new Dictionary<string, string?> { ["LocalChat:MaxConversations"] = "3" });
        for (var i = 0; i < 3; i++)
        {
            await host.Client.GenerateAsync();
        }

        var (status, body) = await host.Client.SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", null, null);
        var opening = await Record.ExceptionAsync(() => host.Channel.OpenDirectAsync(new ChatUser("carol", "Carol"), TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("TooManyRequests", body!["error"]!["code"]!.GetValue<string>());
        Assert.Contains("LocalChat:MaxConversations", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(3, host.Service<LocalConversationStore>().PersonalCount);
        Assert.Equal(3, host.Service<DirectLineTokenIssuer>().LiveCount);
        var refused = Assert.IsType<ChatDeliveryException>(opening);
        Assert.Contains("LocalChat:MaxConversations", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_are_capped_with_a_clear_error_until_some_expire()
    {
        await using var host = await LocalChatTestHost.StartAsync(settings: new Dictionary<string, string?> { ["LocalChat:MaxTokens"] = "3" });
        var (_, token) = await host.Client.GenerateAsync("bob", "support");
        await host.Client.GenerateAsync("bob", "support");
        await host.Client.GenerateAsync("bob", "support");

        var (generateStatus, body) = await host.Client.SendAsync(
            HttpMethod.Post, "/v3/directline/tokens/generate", null, """{"user":{"id":"bob"},"conversationId":"support"}""");
        var (refreshStatus, _) = await host.Client.SendAsync(HttpMethod.Post, "/v3/directline/tokens/refresh", token, null);
        var (personalStatus, _) = await host.Client.SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", null, """{"user":{"id":"alice"}}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, generateStatus);
        Assert.Contains("LocalChat:MaxTokens", body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.TooManyRequests, refreshStatus);
        Assert.Equal(HttpStatusCode.TooManyRequests, personalStatus);
        Assert.Equal(0, host.Service<LocalConversationStore>().PersonalCount);
        Assert.Equal(3, host.Service<DirectLineTokenIssuer>().LiveCount);

        host.Time.Advance(TimeSpan.FromMinutes(31));
        var (_, fresh) = await host.Client.GenerateAsync("bob", "support");
        Assert.NotEmpty(fresh);
        Assert.Equal(1, host.Service<DirectLineTokenIssuer>().LiveCount);
    }

    [Theory]
    [InlineData(65, "")]
    [InlineData(10, "\n")]
    [InlineData(10, "\u001b[31m")]
    public async Task Overlong_or_control_character_user_names_are_refused_and_create_nothing(int length, string suffix)
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var name = new string('A', length) + suffix;
        var body = new JsonObject { ["user"] = new JsonObject { ["id"] = "alice", ["name"] = name } };

        var (status, error) = await host.Client.SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", null, body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("user.name", error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, host.Service<LocalConversationStore>().PersonalCount);
        Assert.Equal(0, host.Service<DirectLineTokenIssuer>().LiveCount);
    }

    [Theory]
    [InlineData(65, "")]
    [InlineData(10, "\r\n")]
    public async Task Overlong_or_control_character_display_names_in_a_message_are_refused_and_not_dispatched(int length, string suffix)
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.GenerateAsync();

        var (status, error) = await host.Client.PostActivityAsync(
            conversationId, token, WebChatActivities.Message("alice", new string('A', length) + suffix, "hi"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("from.name", error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(host.Handler.Received);
        var (activities, _) = await host.Client.ReadAsync(conversationId, token);
        Assert.Empty(activities);
    }

    [Fact]
    public async Task A_name_of_the_longest_allowed_length_is_accepted()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.GenerateAsync();

        var (status, _) = await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.Message("alice", new string('A', 64), "hi"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new string('A', 64), Assert.Single(host.Handler.Received).From.Name);
    }
}
