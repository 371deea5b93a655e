using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Alice's recovery through the real Slack endpoints, step by step as a person clicks it: the modal submission, Bob's
/// approval in the support channel, then the messages in her DM (the key message with its QR file, the activation
/// message) and the code typed into the code modal. Only reads what the bot sent to the fake Slack, stored and audited.
/// </summary>
internal sealed partial class SlackRecovery
{
    public const string Owner = "UALICE";
    public const string Dm = "DALICE";

    private int _clicks;

    private SlackRecovery(SlackTestHost host, ResetRequest request, string approvalTs)
    {
        Host = host;
        Request = request;
        ApprovalTs = approvalTs;
    }

    public SlackTestHost Host { get; }

    public FakeSlackApi Slack => Host.Slack;

    public ResetRequest Request { get; private set; }

    public string ApprovalTs { get; }

    /// <summary>The newest key message (setup key and QR file) the bot posted in Alice's DM.</summary>
    public RecordedSlackCall KeyMessage => KeyMessages[^1];

    public IReadOnlyList<RecordedSlackCall> KeyMessages =>
        [.. Slack.CallsTo("chat.postMessage").Where(c => c.Channel == Dm && c.AllText.Contains("was enrolled (factor", StringComparison.Ordinal))];

    /// <summary>The setup key shown in the newest key message (TOTP only).</summary>
    public string? Secret => SecretIn(KeyMessage);

    /// <summary>The activation message: posted once in the DM, then updated in place.</summary>
    public string ActivationTs => Slack.CallsTo("chat.postMessage")
        .Single(c => c.Channel == Dm && Header(c)?.StartsWith("Finish setting up", StringComparison.Ordinal) == true).Answer["ts"]!.GetValue<string>();

    /// <summary>Alice's status message in her DM (the requester's card).</summary>
    public string StatusTs => Slack.CallsTo("chat.postMessage")
        .First(c => c.Channel == Dm && Header(c)?.StartsWith("Your MFA reset", StringComparison.Ordinal) == true).Answer["ts"]!.GetValue<string>();

    /// <summary>Alice asks for <paramref name="factorType"/> in the modal, Bob approves, and the enrolment's messages reach her DM.</summary>
    public static async Task<SlackRecovery> EnrolAsync(SlackTestHost host, string factorType, string provider, string? phone = null)
    {
        var slack = host.Slack;
        var submitted = await host.InteractAsync(SlackPayloads.ViewSubmission(Owner, "VFORM", factorType, provider, phone));
        Assert.Equal(System.Net.HttpStatusCode.OK, submitted.StatusCode);
        var request = await host.WaitForAsync(r => r.State == RequestState.AwaitingApproval, "the request");
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.postMessage").Any(c => c.Channel == SlackTestHost.SupportChannel && c.ThreadTs is null), "the approval message");
        var approvalTs = slack.CallsTo("chat.postMessage").Single(c => c.Channel == SlackTestHost.SupportChannel && c.ThreadTs is null)
            .Answer["ts"]!.GetValue<string>();

        var recovery = new SlackRecovery(host, request, approvalTs);
        await recovery.ClickAsync("UBOB", "approve", SlackTestHost.SupportChannel, approvalTs);
        await recovery.WaitForEnrolmentAsync(1);
        return recovery;
    }

    /// <summary>Waits until enrolment number <paramref name="count"/> is awaiting activation with its key and activation messages in the DM.</summary>
    public async Task WaitForEnrolmentAsync(int count)
    {
        Request = await Host.WaitForAsync(r => r.Id == Request.Id && r.State == RequestState.AwaitingActivation && r.KeyMessage is not null &&
            r.ActivationMessage is not null && KeyMessages.Count == count, $"enrolment {count} with its messages");
        if (Request.Factor.FactorType is "token:software:totp" or "push")
        {
            await Eventually.WaitUntilAsync(() => Slack.CallsTo("files.completeUploadExternal").Count() >= count, $"QR file {count}");
        }
    }

    /// <summary>A person clicks a button of a message; returns once Slack's acknowledgement came back.</summary>
    public async Task ClickAsync(string userId, string actionId, string channelId, string messageTs)
    {
        var actionTs = string.Create(CultureInfo.InvariantCulture, $"9{Interlocked.Increment(ref _clicks)}.5");
        var answer = await Host.InteractAsync(SlackPayloads.Click(userId, actionId, Request.Id, channelId, messageTs, actionTs));
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
    }

    /// <summary>
    /// Alice clicks "Enter the code" on the activation message, the modal opens, she submits <paramref name="code"/>;
    /// returns the private notice the bot answered with.
    /// </summary>
    public async Task<string> EnterCodeAsync(string code)
    {
        var modals = Slack.CallsTo("views.open").Count();
        await ClickAsync(Owner, "enterCode", Dm, ActivationTs);
        await Eventually.WaitUntilAsync(() => Slack.CallsTo("views.open").Count() > modals, "the code modal");
        var modal = Slack.CallsTo("views.open").Last();
        Assert.True(modal.Ok, modal.Answer.ToJsonString());
        Assert.Equal("mfa_activation_code", modal.Body["view"]!["callback_id"]!.GetValue<string>());
        return await SubmitCodeAsync(code);
    }

    /// <summary>Submits the code modal (as Slack would from a modal opened before); returns the private notice.</summary>
    public async Task<string> SubmitCodeAsync(string code)
    {
        var notices = Notices.Count;
        var viewId = string.Create(CultureInfo.InvariantCulture, $"VCODE{Interlocked.Increment(ref _clicks)}");
        var answer = await Host.InteractAsync(SlackPayloads.CodeSubmission(Owner, viewId, Request.Id, code));
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("", await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        await Eventually.WaitUntilAsync(() => Notices.Count > notices, "the answer to the code");
        return Notices[^1];
    }

    /// <summary>Alice clicks "Send a new code"; returns the private notice.</summary>
    public Task<string> ResendAsync() => ClickForNoticeAsync("resendCode");

    /// <summary>Alice clicks a button of the activation message; returns the private notice.</summary>
    public async Task<string> ClickForNoticeAsync(string actionId)
    {
        var notices = Notices.Count;
        await ClickAsync(Owner, actionId, Dm, ActivationTs);
        await Eventually.WaitUntilAsync(() => Notices.Count > notices, $"the answer to {actionId}");
        return Notices[^1];
    }

    /// <summary>The ephemeral notices Alice got in her DM, oldest first.</summary>
    public IReadOnlyList<string> Notices => [.. Slack.CallsTo("chat.postEphemeral")
        .Where(c => c.Channel == Dm && c.Body["user"]!.GetValue<string>() == Owner)
        .Select(c => c.Body["text"]!.GetValue<string>())];

    /// <summary>The newest content of a message: its last <c>chat.update</c>, else the post itself.</summary>
    public RecordedSlackCall Latest(string ts) =>
        Slack.CallsTo("chat.update").LastOrDefault(c => c.Body["ts"]!.GetValue<string>() == ts)
        ?? Slack.CallsTo("chat.postMessage").Single(c => c.Answer["ts"]?.GetValue<string>() == ts);

    /// <summary>Waits until the message's newest content satisfies <paramref name="condition"/>, and returns it.</summary>
    public async Task<RecordedSlackCall> WaitForMessageAsync(string ts, Func<RecordedSlackCall, bool> condition, string what)
    {
        await Eventually.WaitUntilAsync(() => condition(Latest(ts)), what);
        return Latest(ts);
    }

    /// <summary>The thread lines under the approval message, in order.</summary>
    public IReadOnlyList<string> ThreadLines => [.. Slack.CallsTo("chat.postMessage").Where(c => c.ThreadTs == ApprovalTs)
        .Select(c => c.Body["text"]!.GetValue<string>())];

    /// <summary>The buttons of a message: action id and the text shown on it.</summary>
    public static IReadOnlyList<(string ActionId, string Text)> Buttons(RecordedSlackCall message) =>
        [.. (message.Body["blocks"] as JsonArray ?? []).Where(b => b?["type"]?.GetValue<string>() == "actions")
            .SelectMany(b => b!["elements"]!.AsArray())
            .Select(e => (e!["action_id"]!.GetValue<string>(), e["text"]!["text"]!.GetValue<string>()))];

    public static string? Header(RecordedSlackCall message) =>
        (message.Body["blocks"] as JsonArray)?.FirstOrDefault(b => b?["type"]?.GetValue<string>() == "header")?["text"]?["text"]?.GetValue<string>();

    public static string? SecretIn(RecordedSlackCall keyMessage) =>
        (keyMessage.Body["blocks"] as JsonArray ?? []).Select(b => b?["text"]?["text"]?.GetValue<string>())
            .FirstOrDefault(t => t?.Contains("Setup key", StringComparison.Ordinal) == true)?.Split('`')[1];

    /// <summary>The id of the QR file uploaded with the newest key message.</summary>
    public string FileId => Slack.CallsTo("files.completeUploadExternal").Last().Body["files"]!.AsArray()[0]!["id"]!.GetValue<string>();

    /// <summary>The code Alice's authenticator app shows now for the newest key.</summary>
    public string TotpCode() => SandboxTotp.Code(Secret!, Host.Time.GetUtcNow());

    /// <summary>
    /// Codes that do not match the newest key at any step Okta accepts (±1 step, and the next one for a slow test):
    /// what someone guessing would type.
    /// </summary>
    public IReadOnlyList<string> WrongCodes(int count)
    {
        var now = Host.Time.GetUtcNow();
        var valid = new[] { -30, 0, 30, 60 }.Select(s => SandboxTotp.Code(Secret!, now.AddSeconds(s))).ToHashSet();
        return [.. new[] { "314159", "271828", "161803", "141421", "223606", "264575", "316227", "356457", "412310" }
            .Where(c => !valid.Contains(c)).Take(count)];
    }

    /// <summary>The Okta operations the bot called (the sandbox's log), in order.</summary>
    public IReadOnlyList<string?> OktaOperations => [.. Host.Okta.Requests.Select(r => r.OperationId)];

    /// <summary>
    /// A code typed in chat goes to Okta and nowhere else: not a log line, not an audit row, not a single call to Slack.
    /// Slack's own message timestamps and file ids are left out of the search (their digits are not the code).
    /// </summary>
    public async Task AssertNowhereButOktaAsync(params string[] codes)
    {
        var audit = await Host.Store.AuditTrailAsync(Request.Id, TestContext.Current.CancellationToken);
        Assert.NotEmpty(audit);
        var auditText = string.Join("\n", audit.Select(a => $"{a.ActorId} {a.ActorName} {a.Action} {a.FromState} {a.ToState} {a.Detail}"));
        var slackText = SlackIds().Replace(string.Join("\n", Slack.AllCalls.Select(c => c.AllText)), "");
        var logs = SlackIds().Replace(Host.Logs.AllText, "");
        Assert.Contains("Slack", logs, StringComparison.Ordinal); // the logs searched are not empty
        var stored = System.Text.Json.JsonSerializer.Serialize(await Host.Store.FindAsync(Request.Id, TestContext.Current.CancellationToken));
        foreach (var code in codes)
        {
            Assert.DoesNotContain(code, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(code, auditText, StringComparison.Ordinal);
            Assert.DoesNotContain(code, slackText, StringComparison.Ordinal);
            Assert.DoesNotContain(code, stored, StringComparison.Ordinal);
            Assert.Contains(Host.Okta.Requests, r => r.OperationId == "activateFactor" && r.Body.Contains($"\"{code}\"", StringComparison.Ordinal));
        }
    }

    // Slack's message timestamps (1700000001.000100) and the ids made from them (F1700000001000100).
    [GeneratedRegex(@"[A-Z]?\d{10}\.?\d{6}")]
    private static partial Regex SlackIds();
}
