using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack.Inbound;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// The real host with the Slack channel on, its Web API pointed at <see cref="FakeSlackApi"/>, a temp SQLite file and
/// the Okta sandbox. Requests are signed exactly as Slack signs them.
/// </summary>
/// <param name="services">Replaces host services for one test (a recording <see cref="Channels.IInboundHandler"/>, say).</param>
internal sealed class SlackTestHost(FakeSlackApi slack, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : BotTestHost("slack", SettingsFor(slack).Concat(settings ?? new Dictionary<string, string?>()))
{
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string SupportChannel = "CSUPPORT";

    public FakeSlackApi Slack { get; } = slack;

    /// <summary>The Okta sandbox this host runs: its request log, inbox and simulated Okta Verify device.</summary>
    public OktaSandbox Okta => Services.GetRequiredService<OktaSandbox>();

    /// <summary>The host's clock (a test may have moved it); requests are signed at its "now".</summary>
    public TimeProvider Time => Services.GetRequiredService<TimeProvider>();

    /// <summary>POSTs <paramref name="body"/> signed with <paramref name="secret"/> at <paramref name="at"/> (default: the host's now).</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(
        string path, string body, string contentType, string secret = SigningSecret, DateTimeOffset? at = null,
        int? retryNum = null, bool sign = true)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        if (sign)
        {
            Sign(request, body, secret, at ?? Time.GetUtcNow());
        }

        if (retryNum is { } retry)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// Adds Slack's signature headers for <paramref name="body"/> to <paramref name="request"/>, exactly as Slack signs
    /// (also for a bot running as its own process, which <see cref="PostSignedAsync"/> cannot reach).
    /// </summary>
    public static void Sign(HttpRequestMessage request, string body, string secret = SigningSecret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        request.Headers.Add(SlackRequestVerifier.TimestampHeader, timestamp);
        request.Headers.Add(SlackRequestVerifier.SignatureHeader, SlackRequestVerifier.Sign(secret, timestamp, Encoding.UTF8.GetBytes(body)));
    }

    /// <summary>
    /// POSTs a signed <paramref name="body"/>, expects <paramref name="expected"/>, then checks that it ran nothing: after
    /// a short quiet period for background work, no Slack call was made and no request was stored.
    /// </summary>
    public async Task PostSignedRunsNothingAsync(string path, string body, string contentType, HttpStatusCode expected)
    {
        var response = await PostSignedAsync(path, body, contentType);

        Assert.Equal(expected, response.StatusCode);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Empty(Slack.Calls);
        Assert.Empty(await AllRequestsAsync());
    }

    public Task<HttpResponseMessage> CommandAsync(string userId, string triggerId, string text = "", string channelId = "CGENERAL") =>
        PostSignedAsync("/api/slack/commands", SlackPayloads.Command(userId, triggerId, text, channelId), "application/x-www-form-urlencoded");

    public Task<HttpResponseMessage> InteractAsync(JsonObject payload, int? retryNum = null) =>
        PostSignedAsync("/api/slack/interactions", SlackPayloads.Form("payload", payload.ToJsonString()),
            "application/x-www-form-urlencoded", retryNum: retryNum);

    public Task<HttpResponseMessage> EventAsync(JsonObject body, int? retryNum = null) =>
        PostSignedAsync("/api/slack/events", body.ToJsonString(), "application/json", retryNum: retryNum);

    /// <summary>Waits (bounded) until the background work has moved the request into one of <paramref name="states"/>.</summary>
    public async Task<ResetRequest> WaitForAsync(Func<ResetRequest, bool> condition, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            var match = (await AllRequestsAsync()).FirstOrDefault(condition);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("Timed out waiting for " + what);
    }

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    /// <summary>The settings that point the host at this fake (the robustness host reuses them).</summary>
    internal static Dictionary<string, string?> SettingsFor(FakeSlackApi slack) => new()
    {
        ["Approvals:Approvers:0"] = "UBOB",
        ["Approvals:Approvers:1"] = "UERIN",
        ["Slack:BotToken"] = FakeSlackApi.BotToken,
        ["Slack:SigningSecret"] = SigningSecret,
        ["Slack:ApiBaseUrl"] = slack.BaseUrl.ToString(),
        ["Slack:SupportChannelId"] = SupportChannel,
    };
}
