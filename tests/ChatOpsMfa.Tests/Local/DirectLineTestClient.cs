using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Local;

/// <summary>Speaks Direct Line to the test host the way DirectLineJS does, returning status and parsed JSON.</summary>
internal sealed class DirectLineTestClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<(string ConversationId, string Token)> GenerateAsync(string? userId = null, string? conversationId = null)
    {
        var body = new JsonObject();
        if (userId is not null)
        {
            body["user"] = new JsonObject { ["id"] = userId, ["name"] = char.ToUpperInvariant(userId[0]) + userId[1..] };
        }

        if (conversationId is not null)
        {
            body["conversationId"] = conversationId;
        }

        var (status, json) = await SendAsync(HttpMethod.Post, "/v3/directline/tokens/generate", null, body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, status);
        return (json!["conversationId"]!.GetValue<string>(), json["token"]!.GetValue<string>());
    }

    /// <summary>Generate then start, as the page and DirectLineJS do for a personal conversation.</summary>
    public async Task<(string ConversationId, string Token)> StartPersonalAsync(string userId)
    {
        var (conversationId, token) = await GenerateAsync(userId);
        var (status, json) = await SendAsync(HttpMethod.Post, "/v3/directline/conversations", token, new JsonObject { ["user"] = new JsonObject { ["id"] = userId } }.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(conversationId, json!["conversationId"]!.GetValue<string>());
        return (conversationId, token);
    }

    public Task<(HttpStatusCode Status, JsonObject? Json)> PostActivityAsync(string conversationId, string? token, JsonObject activity) =>
        PostRawActivityAsync(conversationId, token, activity.ToJsonString());

    public Task<(HttpStatusCode Status, JsonObject? Json)> PostRawActivityAsync(string conversationId, string? token, string body) =>
        SendAsync(HttpMethod.Post, $"/v3/directline/conversations/{Uri.EscapeDataString(conversationId)}/activities", token, body);

    public Task<(HttpStatusCode Status, JsonObject? Json)> GetActivitiesAsync(string conversationId, string? token, string? watermark = null) =>
        SendAsync(HttpMethod.Get, $"/v3/directline/conversations/{Uri.EscapeDataString(conversationId)}/activities?watermark={watermark}", token, null);

    /// <summary>The activities a successful GET returns, with the new watermark.</summary>
    public async Task<(List<JsonObject> Activities, string Watermark)> ReadAsync(string conversationId, string token, string? watermark = null)
    {
        var (status, json) = await GetActivitiesAsync(conversationId, token, watermark);
        Assert.Equal(HttpStatusCode.OK, status);
        var activities = json!["activities"]!.AsArray().Select(a => a!.AsObject()).ToList();
        return (activities, json["watermark"]!.GetValue<string>());
    }

    /// <summary>
    /// Reads (bounded) until the activities since <paramref name="watermark"/> hold one that matches: the bot answers
    /// a click once its decision is stored, and the chat messages it owes follow from the outbox in the background.
    /// </summary>
    public async Task<(List<JsonObject> Activities, string Watermark)> ReadUntilAsync(
        string conversationId, string token, Func<JsonObject, bool> expected, string what, string? watermark = null)
    {
        var read = await ReadAsync(conversationId, token, watermark);
        await Eventually.WaitUntilAsync(() =>
        {
            read = ReadAsync(conversationId, token, watermark).GetAwaiter().GetResult();
            return read.Activities.Any(expected);
        }, what);
        return read;
    }

    public async Task<(HttpStatusCode Status, JsonObject? Json)> SendAsync(HttpMethod method, string path, string? token, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : null;
        return (response.StatusCode, json);
    }
}
