using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack.Inbound;
using ChatOpsMfa.Tests.Slack;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>Signed Slack requests the fuzzing found crashing the endpoints or the work behind them; each now gets a 400.</summary>
public sealed class SlackMalformedTests
{
    [Fact]
    public async Task Event_with_a_duplicated_property_is_refused_with_400()
    {
        await using var host = await RobustnessHost.StartAsync();
        var body = SlackPayloadsEvents.DirectMessage("Ev1", "UMALLORY", "DMALLORY", "hi").ToJsonString().TrimEnd('}') + ",\"type\":\"event_callback\"}";

        using var response = await PostSignedAsync(host, "/api/slack/events", body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Errors.Entries);
    }

    [Fact]
    public async Task View_submission_whose_state_is_not_an_object_is_refused_with_400()
    {
        await using var host = await RobustnessHost.StartAsync();
        var payload = SlackPayloads.ViewSubmission("UMALLORY", "V1", "push", "OKTA");
        payload["view"]!["state"] = new JsonArray(1, 2);

        using var response = await PostSignedAsync(host, "/api/slack/interactions", SlackPayloads.Form("payload", payload.ToJsonString()),
            "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(host.Errors.Entries);
    }

    private static async Task<HttpResponseMessage> PostSignedAsync(RobustnessHost host, string path, string body, string contentType)
    {
        var bytes = FuzzRun.Utf8(body);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = FuzzRun.Request(HttpMethod.Post, path, bytes, contentType);
        request.Headers.Add(SlackRequestVerifier.TimestampHeader, timestamp);
        request.Headers.Add(SlackRequestVerifier.SignatureHeader, SlackRequestVerifier.Sign(SlackTestHost.SigningSecret, timestamp, bytes));
        return await host.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
    }
}
