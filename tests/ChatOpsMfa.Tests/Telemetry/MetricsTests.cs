using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Flow;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Telemetry;

/// <summary>/metrics after real flows through the host, SQLite and the Okta sandbox: what is counted, and what never is.</summary>
[Collection(MetricsCollection.Name)]
public class MetricsTests
{
    private static readonly Dictionary<string, string?> MetricsOn = new() { ["Telemetry:Metrics:Enabled"] = "true" };

    private static JsonObject Form(string factor) => new() { ["verb"] = "submitRequest", ["factor"] = factor };

    private static async Task<(string Text, IReadOnlyList<PrometheusSample> Samples)> ScrapeAsync(FlowHost host)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (text, PrometheusSample.Parse(text));
    }

    private static double Sum(IEnumerable<PrometheusSample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).Sum(s => s.Value);

    [Fact]
    public async Task An_approved_and_completed_request_and_an_Okta_429_show_on_metrics_without_personal_labels()
    {
        using var host = new FlowHost(MetricsOn);
        _ = host.Services;
        await host.SubmitAsync(Alice, Form("token:software:totp|GOOGLE"));
        var request = await host.OnlyRequestAsync();

        // Okta answers the reset with 429 once; the rate-limit handler waits the window out and sends it again.
        host.Okta.RateLimitNext(1, TimeSpan.FromMilliseconds(200), operationId: "resetFactors");
        await host.ClickAsync(Bob, "approve", request.Id);
        var done = await host.ActivateAsync(Alice, request.Id);
        Assert.Equal(RequestState.Completed, done.State);

        var (text, samples) = await ScrapeAsync(host);
        Assert.Equal(1, Sum(samples, "chatopsmfa_requests_total", ("outcome", "created")));
        Assert.Equal(1, Sum(samples, "chatopsmfa_requests_total", ("outcome", "approved")));
        Assert.Equal(1, Sum(samples, "chatopsmfa_requests_total", ("outcome", "completed")));
        Assert.Equal(0, Sum(samples, "chatopsmfa_requests_total", ("outcome", "denied")));
        Assert.Equal(1, Sum(samples, "chatopsmfa_decision_duration_seconds_count", ("decision", "approved")));

        // Okta calls by operationId (derived from method and path, as real Okta names none) and status, the 429 included.
        Assert.Equal(1, Sum(samples, "chatopsmfa_okta_calls_total", ("operation", "resetFactors"), ("status", "429")));
        Assert.Equal(1, Sum(samples, "chatopsmfa_okta_calls_total", ("operation", "resetFactors"), ("status", "200")));
        Assert.True(Sum(samples, "chatopsmfa_okta_calls_total", ("operation", "enrollFactor"), ("status", "200")) >= 1);
        Assert.True(Sum(samples, "chatopsmfa_okta_calls_total", ("operation", "activateFactor")) >= 1);
        Assert.DoesNotContain(samples, s => s.Name == "chatopsmfa_okta_calls_total" && s.Labels["operation"] == "other");

        // The outbox gauges read the table (everything was delivered: nothing owed).
        Assert.Contains(samples, s => s.Name == "chatopsmfa_outbox_backlog");
        Assert.Contains(samples, s => s.Name == "chatopsmfa_outbox_oldest_age_seconds");

        // No label carries who or which request: not the email, the Okta user id, the chat id or the request id.
        var labelValues = string.Join("\n", samples.SelectMany(s => s.Labels.Values));
        foreach (var personal in new[] { Alice.Email!, Bob.Email!, done.Target.OktaUserId, OktaSandboxSeed.BobId, done.Id, done.Result!.FactorId })
        {
            Assert.DoesNotContain(personal, labelValues, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(personal, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_denied_request_counts_its_decision_and_no_approval()
    {
        using var host = new FlowHost(MetricsOn);
        await host.SubmitAsync(Alice, Form("token:software:totp|GOOGLE"));
        var request = await host.OnlyRequestAsync();
        await host.ClickAsync(Bob, "deny", request.Id);

        var (_, samples) = await ScrapeAsync(host);
        Assert.Equal(1, Sum(samples, "chatopsmfa_requests_total", ("outcome", "denied")));
        Assert.Equal(0, Sum(samples, "chatopsmfa_requests_total", ("outcome", "approved")));
        Assert.Equal(1, Sum(samples, "chatopsmfa_decision_duration_seconds_count", ("decision", "denied")));
        Assert.Equal(0, Sum(samples, "chatopsmfa_okta_calls_total", ("operation", "resetFactors")));
    }

    [Fact]
    public async Task A_rejected_step_up_push_is_counted_as_rejected()
    {
        using var host = new FlowHost(new Dictionary<string, string?>(MetricsOn)
        {
            ["Approvals:ApproverVerification"] = "OktaVerifyPush",
            ["Approvals:VerificationPollInterval"] = "00:00:00.100",
        });
        await host.SubmitAsync(Alice, Form("token:software:totp|GOOGLE"));
        var request = await host.OnlyRequestAsync();
        await host.ClickAsync(Bob, "approve", request.Id);
        PendingPushChallenge? challenge = null;
        await Eventually.WaitUntilAsync(() => (challenge = host.Okta.PendingPushChallenges.SingleOrDefault(c => c.UserId == OktaSandboxSeed.BobId)) is not null,
            "the Okta Verify push to Bob");
        Assert.True(host.Okta.RejectPushChallenge(OktaSandboxSeed.BobId, challenge!.TransactionId));
        await Eventually.WaitUntilAsync(async () => (await host.Store.AuditTrailAsync(request.Id, CancellationToken.None)).Any(a => a.Action == "StepUpRejected"),
            "the rejected push in the audit trail");

        var (_, samples) = await ScrapeAsync(host);
        Assert.Equal(1, Sum(samples, "chatopsmfa_stepups_total", ("result", "rejected")));
        Assert.Equal(0, Sum(samples, "chatopsmfa_stepups_total", ("result", "accepted")));
        Assert.Equal(0, Sum(samples, "chatopsmfa_requests_total", ("outcome", "approved")));
        Assert.True(Sum(samples, "chatopsmfa_okta_calls_total", ("operation", "verifyFactor"), ("status", "201")) +
            Sum(samples, "chatopsmfa_okta_calls_total", ("operation", "verifyFactor"), ("status", "200")) >= 1);
        Assert.True(Sum(samples, "chatopsmfa_okta_calls_total", ("operation", "getFactorTransactionStatus")) >= 1);
    }

    [Fact]
    public async Task Metrics_are_off_unless_enabled()
    {
        using var host = new FlowHost();
        using var client = host.CreateClient();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_on_a_port_answer_only_requests_that_arrived_on_that_port()
    {
        using var host = new FlowHost(new Dictionary<string, string?>(MetricsOn) { ["Telemetry:Metrics:Port"] = "9464" });
        using var publicSide = host.CreateClient();
        using var refused = await publicSide.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);

        using var monitoring = host.CreateClient(new() { BaseAddress = new Uri("http://localhost:9464") });
        using var served = await monitoring.GetAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains("chatopsmfa_outbox_backlog", await served.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
