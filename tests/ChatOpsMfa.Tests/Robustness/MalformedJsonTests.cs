using System.Net;
using System.Text;
using ChatOpsMfa.Tests.Teams;
using ChatOpsMfa.Tests.Teams.Fakes;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// The two JSON bodies the fuzzing found crashing endpoints: a property named twice, and invalid UTF-8 inside a
/// string. Both parse lazily in System.Text.Json and threw on first read; each endpoint must answer 400 instead.
/// </summary>
public sealed class MalformedJsonTests
{
    private static readonly byte[] DuplicateProperty = Encoding.UTF8.GetBytes("""{"user":{"id":"mallory"},"user":{"id":"bob"}}""");
    private static readonly byte[] InvalidUtf8 = [.. Encoding.UTF8.GetBytes("""{"user":{"id":"mal"""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("""lory"}}""")];

    [Fact]
    public async Task Direct_Line_token_generation_refuses_duplicate_properties_and_invalid_UTF8_with_400()
    {
        await using var host = await RobustnessHost.StartAsync();
        var client = host.CreateClient();
        foreach (var body in new[] { DuplicateProperty, InvalidUtf8 })
        {
            using var request = FuzzRun.Request(HttpMethod.Post, "/v3/directline/tokens/generate", body, "application/json");
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Empty(host.Errors.Entries);
    }

    [Fact]
    public async Task Teams_messages_endpoint_refuses_duplicate_properties_and_invalid_UTF8_with_400()
    {
        await using var host = await RobustnessHost.StartAsync();
        var client = host.CreateClient();
        var activity = TeamsActivities.PersonalMessage(TeamsUsers.Alice, "hello", host.TeamsServiceUrl).ToJsonString();
        var duplicated = Encoding.UTF8.GetBytes(activity.TrimEnd('}') + ",\"type\":\"message\"}");
        byte[] invalid = [.. Encoding.UTF8.GetBytes(activity.Split("hello")[0] + "he"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("llo" + activity.Split("hello")[1])];
        foreach (var body in new[] { duplicated, invalid })
        {
            using var request = FuzzRun.Request(HttpMethod.Post, "/api/messages", body, "application/json",
                "Bearer " + BotTokens.Create(host.TeamsKey, host.TeamsServiceUrl));
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Empty(host.Errors.Entries);
        Assert.Empty(host.Teams.ConnectorCalls);
    }
}
