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
    public async Task View_submission_whose_state_or_blocks_are_not_objects_is_refused_with_400()
    {
        await using var host = await RobustnessHost.StartAsync();
        var payload = SlackPayloads.ViewSubmission("UMALLORY", "V1", "push", "OKTA");
        payload["view"]!["state"] = new JsonArray(1, 2);
        var blockIsArray = SlackPayloads.ViewSubmission("UMALLORY", "V2", "push", "OKTA");
        blockIsArray["view"]!["state"]!["values"]!["factorType"] = new JsonArray("push");
        var inputIsText = SlackPayloads.ViewSubmission("UMALLORY", "V3", "push", "OKTA");
        inputIsText["view"]!["state"]!["values"]!["provider"]!["value"] = "OKTA";

        foreach (var broken in new[] { payload, blockIsArray, inputIsText })
        {
            using var response = await PostSignedAsync(host, "/api/slack/interactions", SlackPayloads.Form("payload", broken.ToJsonString()),
                "application/x-www-form-urlencoded");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Empty(host.Errors.Entries);
    }

    /// <summary>users.info can only fail on such ids, which left an exception in the error log of the work behind the ack.</summary>
    [Fact]
    public async Task Ids_that_are_not_Slack_user_ids_are_refused_before_any_Slack_call()
    {
        await using var host = await RobustnessHost.StartAsync();
        const string notAnId = "<script>alert(1)</script>";

        using var command = await PostSignedAsync(host, "/api/slack/commands", SlackPayloads.Command(notAnId, "trigger-1"), "application/x-www-form-urlencoded");
        using var click = await PostSignedAsync(host, "/api/slack/interactions",
            SlackPayloads.Form("payload", SlackPayloads.Click(notAnId, "deny", "r1", SlackTestHost.SupportChannel, "1.1", "2.2").ToJsonString()),
            "application/x-www-form-urlencoded");
        using var submission = await PostSignedAsync(host, "/api/slack/interactions",
            SlackPayloads.Form("payload", SlackPayloads.ViewSubmission(notAnId, "V1", "push", "OKTA").ToJsonString()),
            "application/x-www-form-urlencoded");
        using var message = await PostSignedAsync(host, "/api/slack/events",
            SlackPayloadsEvents.DirectMessage("Ev1", notAnId, "DMALLORY", "hi").ToJsonString(), "application/json");
        using var elsewhere = await PostSignedAsync(host, "/api/slack/events",
            SlackPayloadsEvents.DirectMessage("Ev2", "UMALLORY", "../../etc", "hi").ToJsonString(), "application/json");

        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.OK],
            new[] { command, click, submission, message, elsewhere }.Select(r => r.StatusCode));
        await SlackFuzzTests.SettleAsync(host); // the events were acknowledged: let any work they queued finish first
        // Only the settling message's own calls: looking up its sender and answering it.
        Assert.Equal(["users.info:UMALLORY", "chat.postMessage:DSENTINEL"],
            host.Slack.Calls.Select(c => $"{c.Method}:{c.Body["user"] ?? c.Body["channel"]}"));
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
