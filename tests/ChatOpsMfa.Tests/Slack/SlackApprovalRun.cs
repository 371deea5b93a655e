using System.Globalization;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// One request through the real Slack endpoints up to its approval message, then clicks as people make them: the
/// approvers' Approve with the Okta Verify step-up, the manager's Confirm or Report in their DM. Reads only what the
/// bot sent to the fake Slack, what the Okta sandbox saw, and what was stored and audited.
/// </summary>
internal sealed class SlackApprovalRun
{
    private static int _clicks;

    private SlackApprovalRun(SlackTestHost host, ResetRequest request, string approvalTs, string requesterDm)
    {
        Host = host;
        Request = request;
        ApprovalTs = approvalTs;
        RequesterDm = requesterDm;
    }

    public SlackTestHost Host { get; }

    public FakeSlackApi Slack => Host.Slack;

    public ResetRequest Request { get; }

    /// <summary>The approval message in the support channel: the root of the request's thread.</summary>
    public string ApprovalTs { get; }

    public string RequesterDm { get; }

    /// <summary>The settings that turn the approver's Okta Verify step-up on, polled often, with <paramref name="more"/> on top.</summary>
    public static Dictionary<string, string?> StepUp(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Approvals:ApproverVerification"] = "OktaVerifyPush",
            ["Approvals:VerificationPollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary><paramref name="userId"/> submits the request modal for a TOTP app, and the approval message reaches the support channel.</summary>
    public static async Task<SlackApprovalRun> SubmitAsync(SlackTestHost host, string userId = "UALICE")
    {
        var submitted = await host.InteractAsync(SlackPayloads.ViewSubmission(userId, "VFORM" + userId, "token:software:totp", "GOOGLE"));
        Assert.Equal(System.Net.HttpStatusCode.OK, submitted.StatusCode);
        var request = await host.WaitForAsync(r => r.Requester.Id == userId && r.State == RequestState.AwaitingApproval, "the request");
        await Eventually.WaitUntilAsync(
            () => host.Slack.CallsTo("chat.postMessage").Any(c => c.Channel == SlackTestHost.SupportChannel && c.ThreadTs is null), "the approval message");
        var approvalTs = host.Slack.CallsTo("chat.postMessage").Single(c => c.Channel == SlackTestHost.SupportChannel && c.ThreadTs is null)
            .Answer["ts"]!.GetValue<string>();
        return new SlackApprovalRun(host, request, approvalTs, "D" + userId[1..]);
    }

    /// <summary>A person clicks a button of a message; returns once Slack's acknowledgement came back (it must be a 200).</summary>
    public async Task ClickAsync(string userId, string actionId, string channelId, string messageTs)
    {
        var actionTs = string.Create(CultureInfo.InvariantCulture, $"8{Interlocked.Increment(ref _clicks)}.5");
        var answer = await Host.InteractAsync(SlackPayloads.Click(userId, actionId, Request.Id, channelId, messageTs, actionTs));
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>An approver clicks Approve on the approval message; returns the private notice they got.</summary>
    public async Task<string> ApproveAsync(string userId)
    {
        var before = NoticesTo(userId, SlackTestHost.SupportChannel).Count;
        await ClickAsync(userId, "approve", SlackTestHost.SupportChannel, ApprovalTs);
        await Eventually.WaitUntilAsync(() => NoticesTo(userId, SlackTestHost.SupportChannel).Count > before, $"the notice to {userId}");
        return NoticesTo(userId, SlackTestHost.SupportChannel)[^1];
    }

    /// <summary>The Okta Verify push waiting on <paramref name="oktaUserId"/>'s phone.</summary>
    public async Task<PendingPushChallenge> PushForAsync(string oktaUserId)
    {
        await Eventually.WaitUntilAsync(() => Host.Okta.PendingPushChallenges.Any(p => p.UserId == oktaUserId), $"the push to {oktaUserId}");
        return Host.Okta.PendingPushChallenges.Single(p => p.UserId == oktaUserId);
    }

    /// <summary>The ephemeral notices <paramref name="userId"/> got in <paramref name="channelId"/>, oldest first.</summary>
    public IReadOnlyList<string> NoticesTo(string userId, string channelId) => [.. Slack.CallsTo("chat.postEphemeral")
        .Where(c => c.Channel == channelId && c.Body["user"]!.GetValue<string>() == userId)
        .Select(c => c.Body["text"]!.GetValue<string>())];

    /// <summary>The thread replies under the approval message, in order.</summary>
    public IReadOnlyList<RecordedSlackCall> ThreadReplies => [.. Slack.CallsTo("chat.postMessage").Where(c => c.ThreadTs == ApprovalTs)];

    /// <summary>The thread lines under the approval message (their <c>text</c>, unescaped JSON), in order.</summary>
    public IReadOnlyList<string> ThreadLines => [.. ThreadReplies.Select(c => c.Body["text"]!.GetValue<string>())];

    /// <summary>Waits for a thread line that starts with <paramref name="start"/>, and returns it.</summary>
    public async Task<string> ThreadLineAsync(string start)
    {
        await Eventually.WaitUntilAsync(() => ThreadLines.Any(l => l.StartsWith(start, StringComparison.Ordinal)), $"the thread line '{start}'");
        return ThreadLines.First(l => l.StartsWith(start, StringComparison.Ordinal));
    }

    /// <summary>The newest content of a message the bot posted: its last <c>chat.update</c>, else the post itself.</summary>
    public RecordedSlackCall Latest(string ts) =>
        Slack.CallsTo("chat.update").LastOrDefault(c => c.Body["ts"]!.GetValue<string>() == ts)
        ?? Slack.CallsTo("chat.postMessage").Single(c => c.Answer["ts"]?.GetValue<string>() == ts);

    /// <summary>Waits until the message's newest content has <paramref name="text"/> in its blocks, and returns it.</summary>
    public async Task<RecordedSlackCall> MessageShowingAsync(string ts, string text)
    {
        await Eventually.WaitUntilAsync(() => BlockTexts(Latest(ts)).Contains(text, StringComparison.Ordinal), $"message {ts} showing '{text}'");
        return Latest(ts);
    }

    /// <summary>Every text object in a message's blocks, unescaped, one per line.</summary>
    public static string BlockTexts(RecordedSlackCall message) =>
        string.Join("\n", Texts(message.Body["blocks"]));

    /// <summary>The Okta operations the bot called (the sandbox's log), in order.</summary>
    public IReadOnlyList<string?> OktaOperations => [.. Host.Okta.Requests.Select(r => r.OperationId)];

    public async Task<IReadOnlyList<ChatOpsMfa.Storage.AuditEntry>> AuditAsync() =>
        await Host.Store.AuditTrailAsync(Request.Id, TestContext.Current.CancellationToken);

    public async Task<ResetRequest> StoredAsync() =>
        (await Host.Store.FindAsync(Request.Id, TestContext.Current.CancellationToken))!;

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject obj when obj["text"] is JsonValue text && text.TryGetValue<string>(out var value) =>
            new[] { value }.Concat(obj.Where(p => p.Key != "text").SelectMany(p => Texts(p.Value))),
        JsonObject obj => obj.SelectMany(p => Texts(p.Value)),
        JsonArray array => array.SelectMany(Texts),
        _ => [],
    };
}
