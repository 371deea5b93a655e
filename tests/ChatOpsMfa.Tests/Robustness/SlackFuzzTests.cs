using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack.Inbound;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Slack;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// Generated malformed requests to the three Slack endpoints, signed with the configured signing secret (so they
/// get past the signature check) as Mallory, who has no Okta account, or as strangers. Slack work runs after the
/// acknowledgement, so state, logs and the calls made to Slack are checked once that work has settled.
/// </summary>
public sealed class SlackFuzzTests
{
    private const int Inputs = 500;

    [Fact]
    public async Task Commands_endpoint_survives_malformed_signed_forms()
    {
        await using var host = await RobustnessHost.StartAsync();
        var inputs = new MalformedInputs(seed: 3001);
        var run = new FuzzRun(host, "POST /api/slack/commands");
        var baseline = await host.SnapshotAsync();

        await run.SendAllAsync(Enumerable.Range(0, Inputs).Select(i =>
        {
            var fields = new List<string>
            {
                "team_id", "T0001", "api_app_id", "A0001", "channel_id", inputs.Pick(["CGENERAL", "DMALLORY", SlackTestHost.SupportChannel, inputs.HostileText()]),
                "user_id", inputs.Random.Next(5) == 0 ? inputs.HostileText() : "UMALLORY", "command", inputs.Pick(["/mfa-reset", "/mfa-reset", "/other", inputs.HostileText()]),
                "text", inputs.HostileText(), "trigger_id", "trigger-" + i, "response_url", inputs.Pick(["https://hooks.slack.com/commands/T0001/1/abc", inputs.HostileText()]),
            };
            var drop = inputs.Random.Next(8) == 0 ? inputs.Random.Next(fields.Count / 2) * 2 : -1;
            if (drop >= 0)
            {
                fields.RemoveRange(drop, 2);
            }

            var form = SlackPayloads.Form([.. fields]) + (inputs.Random.Next(6) == 0 ? "&user_id=UBOB&command=%2Fmfa-reset" : "");
            return Signed(inputs, "/api/slack/commands", DamageForm(inputs, form), "application/x-www-form-urlencoded");
        }));

        await SettleAsync(host);
        await run.AssertCleanAsync(baseline);
        Assert.True(run.PastAuthentication > Inputs / 2, $"only {run.PastAuthentication} inputs got past the signature check");
        AssertOnlyRepliesToTheSender(host.Slack);
    }

    [Fact]
    public async Task Interactions_endpoint_survives_malformed_signed_payloads()
    {
        await using var host = await RobustnessHost.StartAsync();
        var inputs = new MalformedInputs(seed: 3002);
        var run = new FuzzRun(host, "POST /api/slack/interactions");
        var baseline = await host.SnapshotAsync();

        await run.SendAllAsync(Enumerable.Range(0, Inputs).Select(i =>
        {
            var user = inputs.Random.Next(6) == 0 ? inputs.HostileText() : "UMALLORY";
            var payload = inputs.Random.Next(3) switch
            {
                0 => SlackPayloads.ViewSubmission(user, "V" + i, inputs.Pick(["token:software:totp", "push", "sms", inputs.HostileText()]),
                    inputs.Pick(["GOOGLE", "OKTA", inputs.HostileText()]), inputs.HostileText(), inputs.HostileText()),
                _ => SlackPayloads.Click(user, inputs.Pick(["approve", "deny", "retry", "cancel", "openRequestForm", "openQrCode", inputs.HostileText()]),
                    inputs.Pick([Guid.NewGuid().ToString("N"), inputs.HostileText()]),
                    inputs.Pick([SlackTestHost.SupportChannel, "DMALLORY", "CGENERAL", inputs.HostileText()]), "1700000000.0001" + i, "1700000001.0001" + i),
            };
            var mutated = inputs.Random.Next(2) == 0 ? inputs.Mutate(payload, inputs.Random.Next(1, 4)) : payload;
            var json = inputs.Random.Next(5) == 0 ? Encoding.UTF8.GetString(inputs.Damage(MalformedInputs.Json(mutated))) : MalformedInputs.Json(mutated);
            return Signed(inputs, "/api/slack/interactions", DamageForm(inputs, SlackPayloads.Form("payload", json)), "application/x-www-form-urlencoded");
        }));

        await SettleAsync(host);
        await run.AssertCleanAsync(baseline);
        Assert.True(run.PastAuthentication > Inputs / 2, $"only {run.PastAuthentication} inputs got past the signature check");
        AssertOnlyRepliesToTheSender(host.Slack);
    }

    [Fact]
    public async Task Events_endpoint_survives_malformed_signed_events()
    {
        await using var host = await RobustnessHost.StartAsync();
        var inputs = new MalformedInputs(seed: 3003);
        var run = new FuzzRun(host, "POST /api/slack/events");
        var baseline = await host.SnapshotAsync();

        await run.SendAllAsync(Enumerable.Range(0, Inputs).Select(i =>
        {
            var body = SlackPayloadsEvents.DirectMessage("Ev" + i, inputs.Random.Next(6) == 0 ? inputs.HostileText() : "UMALLORY",
                inputs.Pick(["DMALLORY", "DMALLORY", SlackTestHost.SupportChannel, inputs.HostileText()]), inputs.HostileText());
            if (inputs.Random.Next(8) == 0)
            {
                body = new JsonObject { ["type"] = "url_verification", ["challenge"] = inputs.AnyValue(), ["token"] = "x" };
            }

            var mutated = inputs.Random.Next(2) == 0 ? inputs.Mutate(body, inputs.Random.Next(1, 4)) : body;
            return Signed(inputs, "/api/slack/events", inputs.Damage(MalformedInputs.Json(mutated)), inputs.Random.Next(5) == 0 ? inputs.ContentType() : "application/json");
        }));

        await SettleAsync(host);
        await run.AssertCleanAsync(baseline);
        Assert.True(run.PastAuthentication > Inputs / 2, $"only {run.PastAuthentication} inputs got past the signature check");
        AssertOnlyRepliesToTheSender(host.Slack);
    }

    /// <summary>
    /// The rule for what the bot may call while fed garbage: look people up, open the request modal (or a placeholder
    /// and fill that very modal), answer ephemerally, open or write to a DM, or reply where it was spoken to; never update a posted message, never post
    /// in the support channel anything but the help text, and never post anything with the approval buttons.
    /// </summary>
    private static void AssertOnlyRepliesToTheSender(FakeSlackApi slack)
    {
        string[] allowed = ["users.info", "views.open", "views.update", "chat.postEphemeral", "chat.postMessage", "conversations.open"];
        Assert.All(slack.Calls, c => Assert.Contains(c.Method, allowed));
        var opened = slack.CallsTo("views.open").Where(c => c.Ok).Select(c => c.Answer["view"]!["id"]!.GetValue<string>()).ToHashSet();
        Assert.All(slack.CallsTo("views.update"), c => Assert.Contains(c.Body["view_id"]!.GetValue<string>(), opened));
        var posts = slack.CallsTo("chat.postMessage").ToList();
        Assert.All(posts.Where(c => c.Body["channel"]?.ToString() == SlackTestHost.SupportChannel), c =>
            Assert.True(c.Body["text"]?.ToString() is MfaResetBot.HelpText || c.Body["text"]?.ToString().StartsWith("For your privacy", StringComparison.Ordinal) == true,
                "only the help text may answer garbage in the support channel: " + c.Body.ToJsonString()));
        Assert.All(slack.Calls.Where(c => c.Method.StartsWith("chat.", StringComparison.Ordinal)), c =>
            Assert.DoesNotContain("\"action_id\":\"approve\"", c.Body.ToJsonString(), StringComparison.Ordinal));
    }

    /// <summary>Signed as Slack signs, mostly with the right secret and time; sometimes headers go missing or repeat.</summary>
    private static FuzzInput Signed(MalformedInputs inputs, string path, byte[] body, string? contentType)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = SlackRequestVerifier.Sign(SlackTestHost.SigningSecret, timestamp, body);
        var headerCase = inputs.Random.Next(14);
        return new FuzzInput($"{contentType} headers#{headerCase} {DirectLineFuzzTests.Preview(body)}", () =>
        {
            var request = FuzzRun.Request(HttpMethod.Post, path, body, contentType);
            switch (headerCase)
            {
                case 0:
                    break; // unsigned
                case 1:
                    request.Headers.TryAddWithoutValidation(SlackRequestVerifier.TimestampHeader, [timestamp, timestamp]);
                    request.Headers.TryAddWithoutValidation(SlackRequestVerifier.SignatureHeader, [signature, signature]);
                    break;
                case 2:
                    request.Headers.TryAddWithoutValidation(SlackRequestVerifier.TimestampHeader, inputs.HostileText());
                    request.Headers.TryAddWithoutValidation(SlackRequestVerifier.SignatureHeader, signature);
                    break;
                case 3:
                    request.Headers.TryAddWithoutValidation(SlackRequestVerifier.TimestampHeader, timestamp);
                    request.Headers.TryAddWithoutValidation(SlackRequestVerifier.SignatureHeader, "v0=" + inputs.HostileText());
                    break;
                default:
                    request.Headers.TryAddWithoutValidation(SlackRequestVerifier.TimestampHeader, timestamp);
                    request.Headers.TryAddWithoutValidation(SlackRequestVerifier.SignatureHeader, signature);
                    if (headerCase == 4)
                    {
                        request.Headers.TryAddWithoutValidation("X-Slack-Retry-Num", inputs.HostileText());
                    }

                    break;
            }

            return request;
        });
    }

    private static byte[] DamageForm(MalformedInputs inputs, string form) => inputs.Random.Next(8) switch
    {
        0 => FuzzRun.Utf8(form[..inputs.Random.Next(form.Length + 1)]),
        1 => inputs.InvalidUtf8(FuzzRun.Utf8(form)),
        2 => FuzzRun.Utf8(form.Replace("=", "%", StringComparison.Ordinal) + "&&&=&%zz"),
        3 => FuzzRun.Utf8(form + "&padding=" + new string('x', inputs.Random.Next(200_000, 300_000))),
        _ => FuzzRun.Utf8(form),
    };

    /// <summary>
    /// Waits until the queued Slack work is done: a last, valid direct message is answered (the queue is first in,
    /// first out), then until no new Slack call appears for a while.
    /// </summary>
    internal static async Task SettleAsync(RobustnessHost host)
    {
        var sentinel = SlackPayloadsEvents.DirectMessage("Ev-sentinel", "UMALLORY", "DSENTINEL", "hello");
        var body = FuzzRun.Utf8(sentinel.ToJsonString());
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = FuzzRun.Request(HttpMethod.Post, "/api/slack/events", body, "application/json");
        request.Headers.Add(SlackRequestVerifier.TimestampHeader, timestamp);
        request.Headers.Add(SlackRequestVerifier.SignatureHeader, SlackRequestVerifier.Sign(SlackTestHost.SigningSecret, timestamp, body));
        using var response = await host.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
        await Eventually.WaitUntilAsync(() => host.Slack.CallsTo("chat.postMessage").Any(c => c.Body["channel"]?.ToString() == "DSENTINEL"),
            "the sentinel direct message to be answered");
        var seen = -1;
        while (seen != host.Slack.Calls.Count)
        {
            seen = host.Slack.Calls.Count;
            await Task.Delay(300, TestContext.Current.CancellationToken);
        }
    }
}
