using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Local;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Crash;

/// <summary>
/// Kills the real bot process (SIGKILL) at each point of a recovery, starts it again on the same database, and checks
/// that the request finishes, with exactly one reset and one enrolment in Okta. Okta is a sandbox in this test
/// process, so it outlives the bot.
/// </summary>
public sealed class CrashTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-crash-").FullName;
    private OktaSandbox _okta = null!;

    // A real process starting (JIT, migration, resume) takes longer than an in-process host.
    private static readonly TimeSpan ProcessRestart = TimeSpan.FromSeconds(20);

    private string DatabasePath => Path.Combine(_folder, "crash.db");

    public async ValueTask InitializeAsync() => _okta = await OktaSandbox.StartNewAsync();

    public async ValueTask DisposeAsync()
    {
        await _okta.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Killed_while_awaiting_approval_the_request_survives_and_completes()
    {
        string requestId;
        await using (var first = await StartAsync())
        {
            requestId = await SubmitAsync(first);
            await first.KillAsync();
        }

        await using var second = await StartAsync();
        await ApproveAsync(second, requestId);

        await AssertCompletedOnceAsync(requestId);
    }

    [Theory]
    [InlineData(CrashPoints.AfterApproval)]
    [InlineData(CrashPoints.AfterReset)]
    [InlineData(CrashPoints.EnrolAnswered)]
    [InlineData(CrashPoints.AfterEnrol)]
    public async Task Killed_at_a_crash_point_the_restarted_bot_finishes_without_repeating_an_Okta_call(string point)
    {
        string requestId;
        await using (var first = await StartAsync(point))
        {
            requestId = await SubmitAsync(first);
            await ApproveAsync(first, requestId, expectCrash: true);
            await first.WaitForCrashAsync();
        }

        await using var second = await StartAsync();

        await AssertCompletedOnceAsync(requestId);
    }

    [Fact]
    public async Task Killed_while_the_enrol_call_is_in_flight_the_bot_checks_Okta_before_enrolling_again()
    {
        string requestId;
        await using (var first = await StartAsync())
        {
            requestId = await SubmitAsync(first);
            _okta.DelayNext(TimeSpan.FromSeconds(30), "enrollFactor");
            await ApproveAsync(first, requestId);
            await Eventually.WaitUntilAsync(() => _okta.Requests.Any(r => r.OperationId == "enrollFactor"), "the enrol call to reach Okta", ProcessRestart);
            await first.KillAsync();
        }

        await using var second = await StartAsync();

        await AssertCompletedOnceAsync(requestId);
        Assert.Contains(_okta.Requests, r => r.Method == "GET" && r.OperationId == "listFactors");
    }

    private Task<HostProcess> StartAsync(string? crashAt = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:ChatOpsMfa"] = $"Data Source={DatabasePath}",
            ["Okta:Client:OrgUrl"] = _okta.BaseUrl!.ToString(),
            ["Okta:Client:Token"] = _okta.Token,
            ["Okta:Sandbox:Enabled"] = "false",
            ["LocalChat:Enabled"] = "true",
            ["Approvals:Approvers:0"] = "bob",
            ["Outbox:RetryDelay"] = "00:00:00.100",
            ["Outbox:PollInterval"] = "00:00:00.200",
        };
        if (crashAt is not null)
        {
            settings["Testing:CrashAt"] = crashAt;
        }

        return HostProcess.StartAsync(settings, _folder);
    }

    private static async Task<string> SubmitAsync(HostProcess host)
    {
        using var http = new HttpClient { BaseAddress = host.Address };
        var client = new DirectLineTestClient(http);
        var (conversation, token) = await client.StartPersonalAsync("alice");
        await client.PostActivityAsync(conversation, token, new JsonObject
        {
            ["type"] = "message",
            ["from"] = new JsonObject { ["id"] = "alice" },
            ["value"] = new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" },
        });
        Func<JsonObject, bool> waiting = a => a["summary"]?.GetValue<string>().Contains("Waiting for approval", StringComparison.Ordinal) == true;
        var (activities, _) = await client.ReadUntilAsync(conversation, token, waiting, "the status card");
        Assert.Contains(activities, a => waiting(a));
        return activities.Select(a => a.ToJsonString()).Where(j => j.Contains("\"requestId\":\"", StringComparison.Ordinal))
            .Select(j => j.Split("\"requestId\":\"")[1].Split('"')[0]).First();
    }

    private static async Task ApproveAsync(HostProcess host, string requestId, bool expectCrash = false)
    {
        using var http = new HttpClient { BaseAddress = host.Address };
        var client = new DirectLineTestClient(http);
        var (support, token) = await client.GenerateAsync("bob", "support");
        try
        {
            await client.PostActivityAsync(support, token, new JsonObject
            {
                ["type"] = "message",
                ["from"] = new JsonObject { ["id"] = "bob" },
                ["value"] = new JsonObject { ["verb"] = "approve", ["requestId"] = requestId },
            });
        }
        catch (HttpRequestException) when (expectCrash)
        {
            // The process died while answering the click: that is the point of the test.
        }
    }

    /// <summary>The request completed; Okta saw one reset and exactly one enrolment took effect (one factor, the request's).</summary>
    private async Task AssertCompletedOnceAsync(string requestId)
    {
        // A TOTP request has no contact details to decrypt, so a key ring of its own is enough to read it.
        var database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={DatabasePath};Pooling=False" }));
        var store = new RequestStore(database, ChatOpsMfa.Tests.Storage.TestContactProtector.Create(), new WalCheckpointer(database));
        ResetRequest? request = null;
        await Eventually.WaitUntilAsync(() =>
        {
            request = store.FindAsync(requestId, CancellationToken.None).GetAwaiter().GetResult();
            return request?.State == RequestState.Completed;
        }, $"request {requestId} to complete", ProcessRestart);

        Assert.Single(_okta.Requests, r => r.OperationId == "resetFactors" && Processed(r));
        var factor = Assert.Single(_okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal(factor.Id, request!.Result!.FactorId);
        var audit = await store.AuditTrailAsync(requestId, CancellationToken.None);
        Assert.Single(audit, a => a.Action == "EnrollSucceeded");
        Assert.Single(audit, a => a.Action == "ResetSucceeded");
    }

    /// <summary>Every reset the sandbox received was answered (the bot is only killed around enrolments).</summary>
    private static bool Processed(RecordedOktaRequest request) => request.Method == "POST";

}
