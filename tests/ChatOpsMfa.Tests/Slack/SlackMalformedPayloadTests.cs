using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>Signed (and for this installation) but unreadable payloads get 400 and change nothing.</summary>
public sealed class SlackMalformedPayloadTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        { "/api/slack/interactions", SlackPayloads.Form("payload", "{not json"), "application/x-www-form-urlencoded" },
        { "/api/slack/interactions", SlackPayloads.Form("payload", "[1,2]"), "application/x-www-form-urlencoded" },
        { "/api/slack/interactions", SlackPayloads.Form("other", "{}"), "application/x-www-form-urlencoded" },
        { "/api/slack/interactions", SlackPayloads.Form("payload",
            SlackPayloads.Click("UBOB", "launchMissiles", "x", "CSUPPORT", "1.1", "1.2").ToJsonString()), "application/x-www-form-urlencoded" },
        { "/api/slack/interactions", SlackPayloads.Form("payload", """{"type":"block_actions","team":{"id":"T0001"},"api_app_id":"A0001","user":{"id":"UBOB"}}"""), "application/x-www-form-urlencoded" },
        { "/api/slack/interactions", SlackPayloads.Form("payload", WithoutRequestId()), "application/x-www-form-urlencoded" },
        { "/api/slack/interactions", SlackPayloads.Form("payload", WithoutState()), "application/x-www-form-urlencoded" },
        { "/api/slack/commands", SlackPayloads.Form("command", "/mfa-reset", "user_id", "UALICE"), "application/x-www-form-urlencoded" },
        { "/api/slack/commands", SlackPayloads.Form("command", "/other", "user_id", "UALICE", "channel_id", "C1", "trigger_id", "t", "team_id", "T0001", "api_app_id", "A0001"), "application/x-www-form-urlencoded" },
        { "/api/slack/events", "{oops", "application/json" },
        { "/api/slack/events", """{"type":"event_callback","team_id":"T0001","api_app_id":"A0001","event":{"type":"message"}}""", "application/json" },
        { "/api/slack/events", """{"type":"url_verification"}""", "application/json" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_payload_gets_400_and_changes_nothing(string path, string body, string contentType)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        await host.PostSignedRunsNothingAsync(path, body, contentType, HttpStatusCode.BadRequest);
    }

    private static string WithoutRequestId()
    {
        var click = SlackPayloads.Click("UBOB", "approve", "x", "CSUPPORT", "1.1", "1.2");
        click["actions"]![0]!.AsObject().Remove("value");
        return click.ToJsonString();
    }

    private static string WithoutState()
    {
        var submission = SlackPayloads.ViewSubmission("UALICE", "V9", "push", "OKTA");
        submission["view"]!.AsObject().Remove("state");
        return submission.ToJsonString();
    }
}
