using System.Net;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>Through the real endpoints: whatever fails verification gets 401 and changes nothing, anywhere.</summary>
public sealed class SlackEndpointSecurityTests
{
    public static TheoryData<string> Paths => ["/api/slack/commands", "/api/slack/interactions", "/api/slack/events"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Wrong_secret_gets_401_and_nothing_happens(string path) =>
        await AssertRefusedAsync(path, (host, body, type) => host.PostSignedAsync(path, body, type, secret: "not-the-secret"));

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Stale_timestamp_gets_401_and_nothing_happens(string path) =>
        await AssertRefusedAsync(path, (host, body, type) => host.PostSignedAsync(path, body, type, at: DateTimeOffset.UtcNow.AddMinutes(-6)));

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Future_timestamp_gets_401_and_nothing_happens(string path) =>
        await AssertRefusedAsync(path, (host, body, type) => host.PostSignedAsync(path, body, type, at: DateTimeOffset.UtcNow.AddMinutes(6)));

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Missing_signature_headers_get_401_and_nothing_happens(string path) =>
        await AssertRefusedAsync(path, (host, body, type) => host.PostSignedAsync(path, body, type, sign: false));

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Tampered_body_gets_401_and_nothing_happens(string path)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var (body, type) = ValidBody(path);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = ChatOpsMfa.Channels.Slack.Inbound.SlackRequestVerifier.Sign(
            SlackTestHost.SigningSecret, timestamp, System.Text.Encoding.UTF8.GetBytes(body));

        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.Replace("UALICE", "UBOB", StringComparison.Ordinal)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(type);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingHappenedAsync(host, slack);
    }

    [Fact]
    public async Task Without_a_signing_secret_in_http_mode_startup_stops_naming_the_key()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?> { ["Slack:SigningSecret"] = "" });

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains("Slack:SigningSecret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssl_check_is_answered_without_a_signature_and_does_nothing()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        var response = await host.PostSignedAsync("/api/slack/commands", "ssl_check=1&token=abc", "application/x-www-form-urlencoded", sign: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertNothingHappenedAsync(host, slack);
    }

    [Fact]
    public async Task Url_verification_echoes_the_challenge()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        var response = await host.EventAsync(new JsonObject
        {
            ["token"] = "Jhj5dZrVaK7ZwHHjRyZWjbDl",
            ["challenge"] = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            ["type"] = "url_verification",
        });

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", body["challenge"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_retried_submission_is_acknowledged_but_processed_once()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var submission = SlackPayloads.ViewSubmission("UALICE", "VRETRY", "push", "OKTA");

        var first = await host.InteractAsync(submission);
        var retry = await host.InteractAsync(submission, retryNum: 1);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        await host.WaitForAsync(_ => true, "the request");
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Count() >= 2, "the approval and status messages");
        await Task.Delay(300, TestContext.Current.CancellationToken); // give a wrongly processed retry the chance to show up
        Assert.Single(await host.AllRequestsAsync());
        Assert.Single(slack.CallsTo("conversations.open"));
        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Channel == SlackTestHost.SupportChannel);
    }

    [Fact]
    public async Task A_repeated_event_id_is_processed_once_with_or_without_retry_headers()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var message = SlackPayloadsEvents.DirectMessage("EvDUP", "UALICE", "DALICE", "hello");

        await host.EventAsync(message);
        await host.EventAsync(message, retryNum: 1);
        await host.EventAsync(message);

        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(), "the help reply");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task A_retried_command_opens_one_modal()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        await host.CommandAsync("UALICE", "trigger-dup");
        var body = SlackPayloads.Command("UALICE", "trigger-dup");
        await host.PostSignedAsync("/api/slack/commands", body, "application/x-www-form-urlencoded", retryNum: 1);

        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.open").Any(), "the modal");
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(slack.CallsTo("views.open"));
    }

    private static async Task AssertRefusedAsync(string path, Func<SlackTestHost, string, string, Task<HttpResponseMessage>> send)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var (body, type) = ValidBody(path);

        var response = await send(host, body, type);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingHappenedAsync(host, slack);
    }

    private static async Task AssertNothingHappenedAsync(SlackTestHost host, FakeSlackApi slack)
    {
        await Task.Delay(300, TestContext.Current.CancellationToken); // anything queued would have called Slack by now
        Assert.Empty(slack.Calls);
        Assert.Empty(await host.AllRequestsAsync());
    }

    // Bodies that would each cause work (a modal, a request, a reply) if they were accepted.
    private static (string Body, string ContentType) ValidBody(string path) => path switch
    {
        "/api/slack/commands" => (SlackPayloads.Command("UALICE", "trigger-sec"), "application/x-www-form-urlencoded"),
        "/api/slack/interactions" => (SlackPayloads.Form("payload",
            SlackPayloads.ViewSubmission("UALICE", "VSEC", "push", "OKTA").ToJsonString()), "application/x-www-form-urlencoded"),
        _ => (SlackPayloadsEvents.DirectMessage("EvSEC", "UALICE", "DALICE", "mfa-reset").ToJsonString(), "application/json"),
    };
}
