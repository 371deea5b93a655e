using System.Net;

namespace ChatOpsMfa.Tests.Local;

public sealed class DirectLineMalformedRequestTests
{
    public static TheoryData<string, string> MalformedActivities => new()
    {
        { "not json", "The body is not valid JSON." },
        { "[]", "The body must be an activity (a JSON object)." },
        { """{"from":{"id":"alice"},"text":"hi"}""", "The activity needs a string 'type'." },
        { """{"type":"typing","from":{"id":"alice"}}""", "Activity type 'typing' is not supported; only 'message' is." },
        { """{"type":"message","text":"hi"}""", "from.id must be 1-64 letters, digits, '.', '_' or '-'." },
        { """{"type":"message","from":{"id":"alice smith"},"text":"hi"}""", "from.id must be 1-64 letters, digits, '.', '_' or '-'." },
        { """{"type":"message","from":{"id":"alice"},"text":42}""", "text must be a string." },
        { """{"type":"message","from":{"id":"alice"},"value":"approve"}""", "value must be a JSON object (Action.Submit data)." },
        { """{"type":"message","from":{"id":"alice"},"text":"hi","channelData":"x"}""", "channelData must be a JSON object." },
        { """{"type":"message","from":{"id":"alice"},"text":"hi","attachments":{}}""", "attachments must be an array." },
        { """{"type":"message","from":{"id":"alice"},"text":"hi","replyToId":7}""", "replyToId must be a string." },
        { """{"type":"message","from":{"id":"alice"}}""", "A message needs text or a value." },
    };

    [Theory]
    [MemberData(nameof(MalformedActivities))]
    public async Task Malformed_activity_is_400_with_a_clear_error_and_nothing_is_stored(string body, string expectedMessage)
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");

        var (status, error) = await host.Client.PostRawActivityAsync(conversationId, token, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BadArgument", error!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(expectedMessage, error["error"]!["message"]!.GetValue<string>());
        var (activities, watermark) = await host.Client.ReadAsync(conversationId, token);
        Assert.Empty(activities);
        Assert.Equal("0", watermark);
        Assert.Empty(host.Handler.Received);
    }

    [Fact]
    public async Task Oversized_activity_is_refused()
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");

        var (status, _) = await host.Client.PostActivityAsync(conversationId, token, WebChatActivities.Message("alice", "Alice", new string('x', 70_000)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Empty((await host.Client.ReadAsync(conversationId, token)).Activities);
    }

    [Theory]
    [InlineData("""{"user":{"id":""}}""")]
    [InlineData("""{"user":"alice"}""")]
    [InlineData("""{"user":{"id":"alice","name":5}}""")]
    [InlineData("""{"conversationId":12}""")]
    [InlineData("""[1]""")]
    public async Task Malformed_token_request_is_400(string body)
    {
        await using var host = await LocalChatTestHost.StartAsync();

        var (status, error) = await host.Client.SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", null, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("BadArgument", error!["error"]!["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    public async Task Watermark_that_this_server_never_issued_is_400(string watermark)
    {
        await using var host = await LocalChatTestHost.StartAsync();
        var (conversationId, token) = await host.Client.StartPersonalAsync("alice");

        var (status, _) = await host.Client.GetActivitiesAsync(conversationId, token, watermark);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
