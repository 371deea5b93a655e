using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Crash;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// The Slack bot as a real process, killed (SIGKILL) right after Okta answered the enrolment and before the bot saved
/// it: the factor exists in Okta but its key reached nobody. Started again on the same database, the bot deletes that
/// factor, enrols again, and the key (message and QR file) that reaches Alice's DM is the one for the only factor Okta
/// has; her code from it activates that factor, and the key message and its file are removed.
/// The fake Slack Web API and the Okta sandbox live in this test process, so they outlive the bot.
/// </summary>
public sealed class SlackCrashTests : IAsyncLifetime
{
    private const string AliceDm = "DALICE";
    private static readonly TimeSpan ProcessRestart = TimeSpan.FromSeconds(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-slack-crash-").FullName;
    private FakeSlackApi _slack = null!;

    private string DatabasePath => Path.Combine(_folder, "slack-crash.db");

    public async ValueTask InitializeAsync() => _slack = await FakeSlackApi.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _slack.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Killed_after_Okta_answered_the_enrolment_the_restarted_bot_deletes_the_lost_factor_and_the_new_key_activates()
    {
        await using var okta = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);
        string requestId;
        await using (var first = await StartAsync(okta, CrashPoints.EnrolAnswered))
        {
            await PostSignedAsync(first, "api/slack/commands", SlackPayloads.Command("UALICE", "trigger-crash-1"));
            await Eventually.WaitUntilAsync(() => _slack.CallsTo("views.open").Any(c => c.Ok), "the request modal", ProcessRestart);
            await InteractAsync(first, SlackPayloads.ViewSubmission("UALICE", "VCRASH1", "token:software:totp", "GOOGLE"));
            await Eventually.WaitUntilAsync(() => ApprovalMessage() is not null, "the approval message", ProcessRestart);
            var approval = ApprovalMessage()!;
            requestId = approval.Body["blocks"]!.AsArray()
                .Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray()
                .Single(e => e!["action_id"]!.GetValue<string>() == CardVerbs.Approve)!["value"]!.GetValue<string>();
            try
            {
                await InteractAsync(first, SlackPayloads.Click("UBOB", CardVerbs.Approve, requestId, SlackTestHost.SupportChannel,
                    approval.Answer["ts"]!.GetValue<string>(), "9.1"));
            }
            catch (HttpRequestException)
            {
                // The process may die while answering the click: that is the point of the test.
            }

            await first.WaitForCrashAsync();
        }

        // Okta made a factor whose key nobody received: no key message, no QR file in Alice's DM.
        var lost = Assert.Single(okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal("PENDING_ACTIVATION", lost.Status);
        Assert.Empty(KeyMessages());
        Assert.Empty(_slack.CallsTo("files.completeUploadExternal"));

        await using var second = await StartAsync(okta);
        await Eventually.WaitUntilAsync(() => KeyMessages().Count > 0, "the key message from the restarted bot", ProcessRestart);
        var keyMessage = Assert.Single(KeyMessages());
        var factor = Assert.Single(okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.NotEqual(lost.Id, factor.Id);
        Assert.Contains(factor.Id, keyMessage.AllText, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(() => _slack.CallsTo("files.completeUploadExternal").Any(), "the QR code upload", ProcessRestart);
        var upload = _slack.CallsTo("files.completeUploadExternal").Single();
        Assert.True(upload.Ok, upload.Answer.ToJsonString());
        Assert.Equal(AliceDm, upload.Body["channel_id"]!.GetValue<string>());
        var qrFileId = Assert.Single(upload.Body["files"]!.AsArray())!["id"]!.GetValue<string>();

        // Alice opens the code modal from her DM and submits the code her app shows for the key she was given.
        await Eventually.WaitUntilAsync(() => ActivationMessage() is not null, "the activation message", ProcessRestart);
        await InteractAsync(second, SlackPayloads.Click("UALICE", CardVerbs.EnterCode, requestId, AliceDm,
            ActivationMessage()!.Answer["ts"]!.GetValue<string>(), "9.2"));
        await Eventually.WaitUntilAsync(() => _slack.CallsTo("views.open").Any(c => c.AllText.Contains("6-digit code", StringComparison.Ordinal)),
            "the code modal", ProcessRestart);
        var code = SandboxTotp.Code(SetupKey(keyMessage), DateTimeOffset.UtcNow);
        await InteractAsync(second, SlackPayloads.CodeSubmission("UALICE", "VCRASH2", requestId, code));

        var store = Store();
        ResetRequest? request = null;
        await Eventually.WaitUntilAsync(() =>
        {
            request = store.FindAsync(requestId, CancellationToken.None).GetAwaiter().GetResult();
            return request?.State == RequestState.Completed;
        }, "the request to complete", ProcessRestart);

        var active = Assert.Single(okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal((factor.Id, "ACTIVE"), (active.Id, active.Status));
        Assert.Equal(factor.Id, request!.Result!.FactorId);
        Assert.Single(okta.Requests, r => r.OperationId == "resetFactors");
        Assert.Contains(okta.Requests, r => r.Method == "DELETE" && r.Path.EndsWith("/factors/" + lost.Id, StringComparison.Ordinal));
        Assert.Contains(await store.AuditTrailAsync(requestId, CancellationToken.None), a => a.Action == "LostEnrolmentRemoved");

        // The key message is replaced and its QR file deleted once the factor is active.
        var keyTs = keyMessage.Answer["ts"]!.GetValue<string>();
        await Eventually.WaitUntilAsync(() => _slack.CallsTo("chat.update").Any(c => c.Body["ts"]!.GetValue<string>() == keyTs),
            "the key message replaced", ProcessRestart);
        var replaced = _slack.CallsTo("chat.update").Last(c => c.Body["ts"]!.GetValue<string>() == keyTs);
        Assert.True(replaced.Ok, replaced.Answer.ToJsonString());
        Assert.Equal(AliceDm, replaced.Channel);
        Assert.Contains("Setup key removed after activation", replaced.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(SetupKey(keyMessage), replaced.AllText, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(() => _slack.CallsTo("files.delete").Any(), "the QR file deleted", ProcessRestart);
        var delete = _slack.CallsTo("files.delete").Single();
        Assert.True(delete.Ok, delete.Answer.ToJsonString());
        Assert.Equal(qrFileId, delete.Body["file"]!.GetValue<string>());
        Assert.True(_slack.Files[qrFileId].Deleted);
    }

    private RecordedSlackCall? ApprovalMessage() =>
        _slack.CallsTo("chat.postMessage").FirstOrDefault(c => c.Channel == SlackTestHost.SupportChannel && c.ThreadTs is null && c.Ok);

    private RecordedSlackCall? ActivationMessage() =>
        _slack.CallsTo("chat.postMessage").LastOrDefault(c => c.Channel == AliceDm && c.Ok && c.AllText.Contains("Enter the code", StringComparison.Ordinal));

    private List<RecordedSlackCall> KeyMessages() =>
        _slack.CallsTo("chat.postMessage").Where(c => c.Channel == AliceDm && c.AllText.Contains("Setup key", StringComparison.Ordinal)).ToList();

    /// <summary>The setup key as the key message shows it (in a code span of its "Setup key" section).</summary>
    private static string SetupKey(RecordedSlackCall keyMessage) =>
        keyMessage.Body["blocks"]!.AsArray()
            .Single(b => b!["text"]?["text"]?.GetValue<string>().Contains("Setup key", StringComparison.Ordinal) == true)!["text"]!["text"]!
            .GetValue<string>().Split('`')[1];

    private Task<HostProcess> StartAsync(OktaSandbox okta, string? crashAt = null)
    {
        var settings = SlackTestHost.SettingsFor(_slack).ToDictionary(s => s.Key, s => s.Value ?? "");
        settings["Slack:TeamId"] = FakeSlackApi.TeamId;
        settings["Slack:AppId"] = FakeSlackApi.AppId;
        settings["ConnectionStrings:ChatOpsMfa"] = $"Data Source={DatabasePath}";
        settings["Okta:Client:OrgUrl"] = okta.BaseUrl!.ToString();
        settings["Okta:Client:Token"] = okta.Token;
        settings["Okta:Sandbox:Enabled"] = "false";
        settings["Outbox:RetryDelay"] = "00:00:00.100";
        settings["Outbox:PollInterval"] = "00:00:00.200";
        if (crashAt is not null)
        {
            settings["Testing:CrashAt"] = crashAt;
        }

        return HostProcess.StartAsync(settings, _folder);
    }

    private static Task InteractAsync(HostProcess host, JsonObject payload) =>
        PostSignedAsync(host, "api/slack/interactions", SlackPayloads.Form("payload", payload.ToJsonString()));

    /// <summary>POSTs a form body to the process, signed exactly as Slack signs it; Slack's acknowledgement is a 200.</summary>
    private static async Task PostSignedAsync(HostProcess host, string path, string body)
    {
        using var http = new HttpClient { BaseAddress = host.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        SlackTestHost.Sign(request, body);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private RequestStore Store()
    {
        // A TOTP request has no contact details to decrypt, so a key ring of its own is enough to read it.
        var database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={DatabasePath};Pooling=False" }));
        return new RequestStore(database, ChatOpsMfa.Tests.Storage.TestContactProtector.Create(), new WalCheckpointer(database));
    }
}
