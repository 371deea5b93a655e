using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack.Inbound;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Local;
using ChatOpsMfa.Tests.Slack;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// 50 approvers click Approve on the same request at the same instant, through the real endpoints. Exactly one
/// approval, one reset and one enrolment must happen, and each of the other 49 is told privately who approved.
/// </summary>
public sealed class ApproveRaceTests
{
    private const int Clickers = 50;

    [Fact]
    public async Task Fifty_simultaneous_Direct_Line_approvals_make_one_approval_one_reset_one_enrolment()
    {
        var approvers = Enumerable.Range(1, Clickers).Select(i => $"approver{i:D2}").ToList();
        await using var host = await RobustnessHost.StartAsync(ApproverSettings(approvers));
        foreach (var approver in approvers)
        {
            host.Okta.AddUser($"{approver}@example.com", "Approver", approver[8..]); // approvers decide only as known Okta users
        }

        var client = new DirectLineTestClient(host.CreateClient());
        var (aliceConversation, aliceToken) = await client.StartPersonalAsync("alice");
        await client.PostActivityAsync(aliceConversation, aliceToken, Message("alice", new JsonObject { ["verb"] = "submitRequest", ["factor"] = "push|OKTA" }));
        var requestId = (await host.Store.ListInStatesAsync([RequestState.AwaitingApproval], CancellationToken.None)).Single().Id;
        var tokens = new Dictionary<string, string>();
        foreach (var approver in approvers)
        {
            tokens[approver] = (await client.GenerateAsync(approver, "support")).Token;
        }

        host.Okta.ClearRequests();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clicks = approvers.Select(async approver =>
        {
            await gate.Task;
            return await client.PostActivityAsync("support", tokens[approver],
                Message(approver, new JsonObject { ["verb"] = "approve", ["requestId"] = requestId }));
        }).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(clicks);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        await WaitForEnrolmentAsync(host, requestId);
        var winner = await AssertOneApprovalResetAndEnrolmentAsync(host, requestId);
        await ScanWithOktaVerifyAsync(host, requestId);
        foreach (var approver in approvers.Where(a => a != winner.ActorId))
        {
            var (seen, _) = await client.ReadAsync("support", tokens[approver]);
            Assert.Contains(seen, a => a["text"]?.GetValue<string>() is { } text
                && text.Contains("already approved by " + winner.ActorName, StringComparison.Ordinal));
        }

        var (bystanderView, _) = await client.ReadAsync("support", (await client.GenerateAsync("bob", "support")).Token);
        Assert.DoesNotContain(bystanderView, a => a["text"]?.GetValue<string>().Contains("already approved by", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Fifty_simultaneous_Slack_approve_clicks_make_one_approval_one_reset_one_enrolment()
    {
        var approvers = Enumerable.Range(1, Clickers).Select(i => $"UAPPR{i:D2}").ToList();
        await using var host = await RobustnessHost.StartAsync(ApproverSettings(approvers));
        foreach (var approver in approvers)
        {
            host.Slack.Users[approver] = ($"Approver {approver[5..]}", $"approver{approver[5..]}@example.com");
            host.Okta.AddUser($"approver{approver[5..]}@example.com", "Approver", approver[5..]);
        }

        using var submitted = await PostSignedAsync(host, "/api/slack/interactions",
            SlackPayloads.Form("payload", SlackPayloads.ViewSubmission("UALICE", "VRACE", "push", "OKTA").ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var request = await WaitForStateAsync(host, null, RequestState.AwaitingApproval);
        await Eventually.WaitUntilAsync(() => host.Slack.CallsTo("chat.postMessage").Any(c => c.Body["channel"]?.ToString() == SlackTestHost.SupportChannel),
            "the approval card in the support channel");
        var card = host.Slack.CallsTo("chat.postMessage").First(c => c.Body["channel"]?.ToString() == SlackTestHost.SupportChannel);
        var cardTs = card.Answer["ts"]!.GetValue<string>();

        host.Okta.ClearRequests();
        var bodies = approvers.Select((approver, i) => SlackPayloads.Form("payload",
            SlackPayloads.Click(approver, "approve", request.Id, SlackTestHost.SupportChannel, cardTs, $"1700000100.{i:D6}").ToJsonString())).ToList();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clicks = bodies.Select(async body =>
        {
            await gate.Task;
            using var response = await PostSignedAsync(host, "/api/slack/interactions", body);
            return response.StatusCode;
        }).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(clicks);

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        await WaitForEnrolmentAsync(host, request.Id);
        var winner = (await host.Store.AuditTrailAsync(request.Id, CancellationToken.None)).First(a => a.Action == "Approve");
        var losers = approvers.Where(a => a != winner.ActorId).ToList();
        // Slack clicks are handled after the acknowledgement, so the refusals may still be on their way.
        await Eventually.WaitUntilAsync(() => losers.All(loser => ToldWhoApproved(host, loser, winner.ActorName)),
            "an ephemeral 'already approved by' to each of the other clickers");
        Assert.Equal(winner, await AssertOneApprovalResetAndEnrolmentAsync(host, request.Id));
        await ScanWithOktaVerifyAsync(host, request.Id);
        Assert.False(ToldWhoApproved(host, winner.ActorId, winner.ActorName));
    }

    private static bool ToldWhoApproved(RobustnessHost host, string user, string approverName) =>
        host.Slack.CallsTo("chat.postEphemeral").Any(c => c.Body["user"]?.ToString() == user
            && c.Body["channel"]?.ToString() == SlackTestHost.SupportChannel
            && c.Body["text"]?.ToString().Contains("already approved by " + approverName, StringComparison.Ordinal) == true);

    /// <summary>
    /// One Approve in the audit, one resetFactors and one enrollFactor at Okta; returns the approver's audit row. The
    /// Okta Verify factor then waits for its owner's scan, which the bot polls (activateFactor without a body); no
    /// code is sent for it.
    /// </summary>
    private static async Task<ChatOpsMfa.Storage.AuditEntry> AssertOneApprovalResetAndEnrolmentAsync(RobustnessHost host, string requestId)
    {
        var audit = await host.Store.AuditTrailAsync(requestId, CancellationToken.None);
        var approval = Assert.Single(audit, a => a.Action == "Approve");
        Assert.Equal(Clickers - 1, audit.Count(a => a.Action == "ApproveRefused"));
        var oktaWrites = host.Okta.Requests.Where(r => r.Method == "POST" && !IsActivationPoll(r)).Select(r => r.OperationId).ToList();
        Assert.Equal(["resetFactors", "enrollFactor"], oktaWrites);
        // The one DELETE is the containment right after the reset: the person's sessions and OAuth tokens, once.
        Assert.Equal(["revokeUserSessions"], host.Okta.Requests.Where(r => r.Method == "DELETE").Select(r => r.OperationId));
        return approval;
    }

    /// <summary>Alice's phone scans the one enrolment's QR code: the bot's poll sees ACTIVE and the request completes.</summary>
    private static async Task ScanWithOktaVerifyAsync(RobustnessHost host, string requestId)
    {
        var enrolled = (await host.Store.FindAsync(requestId, CancellationToken.None))!;
        var pending = Assert.Single(host.Okta.PendingPushActivations);
        Assert.Equal((enrolled.Target.OktaUserId, enrolled.Result!.FactorId), (pending.UserId, pending.FactorId));
        Assert.True(host.Okta.ApprovePushActivation(pending.UserId, pending.FactorId));
        await WaitForStateAsync(host, requestId, RequestState.Completed);
    }

    private static bool IsActivationPoll(ChatOpsMfa.Okta.Sandbox.RecordedOktaRequest request) =>
        request.OperationId == "activateFactor" && request.Body.Length == 0;

    /// <summary>Waits until the one enrolment is done: the factor waits for activation (or is already active).</summary>
    private static async Task WaitForEnrolmentAsync(RobustnessHost host, string requestId)
    {
        for (var i = 0; i < 300; i++)
        {
            var request = await host.Store.FindAsync(requestId, CancellationToken.None);
            if (request?.State is RequestState.AwaitingActivation or RequestState.Completed)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Request {requestId} was not enrolled");
    }

    private static async Task<ResetRequest> WaitForStateAsync(RobustnessHost host, string? requestId, RequestState state)
    {
        for (var i = 0; i < 300; i++)
        {
            var all = await host.Store.ListInStatesAsync([state], CancellationToken.None);
            if (all.FirstOrDefault(r => requestId is null || r.Id == requestId) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No request reached {state}");
    }

    private static Dictionary<string, string?> ApproverSettings(IEnumerable<string> approvers) =>
        approvers.Select((a, i) => KeyValuePair.Create($"Approvals:Approvers:{10 + i}", (string?)a)).ToDictionary();

    private static JsonObject Message(string user, JsonObject value) => new()
    {
        ["type"] = "message",
        ["from"] = new JsonObject { ["id"] = user, ["name"] = user },
        ["channelData"] = new JsonObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") },
        ["value"] = value,
    };

    private static async Task<HttpResponseMessage> PostSignedAsync(RobustnessHost host, string path, string body)
    {
        var bytes = FuzzRun.Utf8(body);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = FuzzRun.Request(HttpMethod.Post, path, bytes, "application/x-www-form-urlencoded");
        request.Headers.Add(SlackRequestVerifier.TimestampHeader, timestamp);
        request.Headers.Add(SlackRequestVerifier.SignatureHeader, SlackRequestVerifier.Sign(SlackTestHost.SigningSecret, timestamp, bytes));
        return await host.CreateClient().SendAsync(request, TestContext.Current.CancellationToken);
    }
}
