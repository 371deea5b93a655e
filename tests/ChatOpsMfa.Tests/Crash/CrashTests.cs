using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Cards;
using ChatOpsMfa.Tests.Teams;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Crash;

/// <summary>
/// Kills the real bot process (SIGKILL) at each point of a recovery, starts it again on the same database, and checks
/// that the recovery still ends with exactly one factor of the chosen type in Okta, which Alice activates with the
/// setup key the bot actually sent her. Okta (the sandbox) and Teams (the fake Bot Framework) live in this test
/// process, so they outlive the bot, as the real ones would. Only a lost enrol answer may cost a second enrolment,
/// and then the pending factor whose key nobody received is deleted first.
/// </summary>
public sealed class CrashTests : IAsyncLifetime
{
    private const string Totp = "token:software:totp|GOOGLE";

    // A real process starting (JIT, migration, resume) takes longer than an in-process host.
    private static readonly TimeSpan ProcessRestart = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-crash-").FullName;
    private readonly TestSigningKey _teamsKey = new("crash-key", "msteams");
    private OktaSandbox _okta = null!;
    private FakeBotFramework _teams = null!;
    private RequestStore _store = null!;

    private string DatabasePath => Path.Combine(_folder, "crash.db");

    public async ValueTask InitializeAsync()
    {
        _okta = await OktaSandbox.StartNewAsync();
        _teams = await FakeBotFramework.StartAsync();
        _teams.BotFrameworkKeys.Add(_teamsKey);
        Alice.AddTo(_teams);
        Bob.AddTo(_teams);

        // A TOTP request has no contact details to decrypt, so a key ring of its own is enough to read it.
        var database = new SqliteDatabase(Options.Create(new StorageOptions { ConnectionString = $"Data Source={DatabasePath};Pooling=False" }));
        _store = new RequestStore(database, ChatOpsMfa.Tests.Storage.TestContactProtector.Create(), new WalCheckpointer(database));
    }

    public async ValueTask DisposeAsync()
    {
        await _teams.DisposeAsync();
        await _okta.DisposeAsync();
        _teamsKey.Dispose();
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
        await DecideAsync(second, "approve", requestId);

        await ActivateWithTheKeyCardAsync(second, requestId);
        await AssertOneUsableFactorAsync(requestId, lostEnrolment: false);
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
            await DecideAsync(first, "approve", requestId, expectCrash: true);
            await first.WaitForCrashAsync();
        }

        Assert.Empty(KeyCards()); // nobody has a key yet: the restarted bot sends the one that works
        await using var second = await StartAsync();

        await ActivateWithTheKeyCardAsync(second, requestId);
        // Only when Okta's enrol answer died with the process is the factor it made deleted and enrolled again.
        await AssertOneUsableFactorAsync(requestId, lostEnrolment: point == CrashPoints.EnrolAnswered);
    }

    [Fact]
    public async Task Killed_while_an_approvers_okta_verify_push_waits_the_restarted_bot_keeps_polling_it_and_the_approval_counts_once()
    {
        string requestId;
        await using (var first = await StartAsync(stepUp: true))
        {
            requestId = await SubmitAsync(first);
            await DecideAsync(first, "approve", requestId);
            await Eventually.WaitUntilAsync(() => _okta.PendingPushChallenges.Any(c => c.UserId == OktaSandboxSeed.BobId), "Bob's push", ProcessRestart);
            await first.KillAsync();
        }

        var waiting = (await _store.FindAsync(requestId, CancellationToken.None))!;
        Assert.Equal(RequestState.AwaitingApproval, waiting.State);
        Assert.NotNull(Assert.Single(waiting.StepUps).TransactionId);
        await using var second = await StartAsync(stepUp: true);
        var challenge = Assert.Single(_okta.PendingPushChallenges);
        Assert.True(_okta.ApprovePushChallenge(OktaSandboxSeed.BobId, challenge.TransactionId));

        await ActivateWithTheKeyCardAsync(second, requestId);
        Assert.Single(_okta.Requests, r => r.OperationId == "verifyFactor");
        await AssertOneUsableFactorAsync(requestId, lostEnrolment: false);
    }

    [Fact]
    public async Task Killed_while_the_enrol_call_is_in_flight_the_bot_deletes_the_factor_whose_key_was_lost_and_enrols_again()
    {
        await using var holder = await OktaAnswerHolder.StartAsync(_okta.BaseUrl!);
        string requestId;
        await using (var first = await StartAsync(okta: holder.BaseUrl))
        {
            requestId = await SubmitAsync(first);
            var enrolledAtOkta = holder.HoldNextEnrolAnswer();
            await DecideAsync(first, "approve", requestId);
            await enrolledAtOkta.WaitAsync(ProcessRestart, TestContext.Current.CancellationToken);
            await first.KillAsync();
        }

        // Okta made a factor whose setup key only its lost answer carried.
        var lost = Assert.Single(_okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal("PENDING_ACTIVATION", lost.Status);
        Assert.Empty(KeyCards());

        await using var second = await StartAsync(okta: holder.BaseUrl);

        var request = await ActivateWithTheKeyCardAsync(second, requestId);
        Assert.NotEqual(lost.Id, request.Result!.FactorId);
        Assert.Contains(_okta.Requests, r => r.Method == "GET" && r.OperationId == "listFactors");
        await AssertOneUsableFactorAsync(requestId, lostEnrolment: true, lostFactorId: lost.Id);
    }

    [Fact]
    public async Task Killed_after_the_enrolment_was_saved_the_key_card_waits_encrypted_in_the_outbox_and_is_delivered_once()
    {
        string requestId;
        await using (var first = await StartAsync(CrashPoints.AfterEnrol))
        {
            requestId = await SubmitAsync(first);
            await DecideAsync(first, "approve", requestId, expectCrash: true);
            await first.WaitForCrashAsync();
        }

        // What the dead bot left on disk: the key card owed, and the files as they are.
        Assert.Equal(RequestState.AwaitingActivation, (await _store.FindAsync(requestId, CancellationToken.None))!.State);
        var owed = OwedKeyCardPayloads(requestId);
        Assert.Single(owed);
        var onDisk = Directory.GetFiles(_folder, "crash.db*").Select(File.ReadAllBytes).ToList();
        Assert.Empty(KeyCards());

        await using var second = await StartAsync();
        await ActivateWithTheKeyCardAsync(second, requestId);

        var key = Assert.Single(KeyCards());
        Assert.DoesNotContain(key, owed[0], StringComparison.OrdinalIgnoreCase);
        Assert.All(onDisk, bytes => Assert.DoesNotContain(key, Encoding.ASCII.GetString(bytes), StringComparison.OrdinalIgnoreCase));
        await AssertOneUsableFactorAsync(requestId, lostEnrolment: false);
    }

    [Fact]
    public async Task Killed_while_awaiting_activation_a_code_from_the_key_card_still_activates_after_the_restart()
    {
        string requestId;
        await using (var first = await StartAsync())
        {
            requestId = await SubmitAsync(first);
            await DecideAsync(first, "approve", requestId);
            await AwaitingActivationWithKeyAsync(requestId);
            await first.KillAsync();
        }

        await using var second = await StartAsync();
        await ActivateWithTheKeyCardAsync(second, requestId);

        Assert.Single(KeyCards()); // the restart did not send the key again
        await AssertOneUsableFactorAsync(requestId, lostEnrolment: false);
    }

    [Fact]
    public async Task Killed_while_awaiting_activation_the_activation_still_ends_at_its_stored_deadline()
    {
        string requestId;
        DateTimeOffset deadline;
        await using (var first = await StartAsync(activationTimeout: "00:00:15"))
        {
            requestId = await SubmitAsync(first);
            await DecideAsync(first, "approve", requestId);
            deadline = (await AwaitingActivationWithKeyAsync(requestId)).ActivationExpiresAt!.Value;
            await first.KillAsync();
        }

        // The restarted bot is configured with the default 30 minutes: only the stored deadline can end it now.
        await using var second = await StartAsync();
        var ended = await WaitForStateAsync(requestId, RequestState.ActivationFailed);

        Assert.Equal(deadline, ended.ActivationExpiresAt);
        var audit = await _store.AuditTrailAsync(requestId, CancellationToken.None);
        var stopped = Assert.Single(audit, a => a.Action == "ActivationStopped");
        Assert.Contains("expired", stopped.Detail, StringComparison.Ordinal);
        Assert.True(stopped.At >= deadline, $"stopped at {stopped.At:O}, before the deadline {deadline:O}");
        Assert.Single(audit, a => a.Action == "FactorRemoved");
        Assert.Empty(_okta.FactorsOf(OktaSandboxSeed.AliceId)!);
    }

    [Fact]
    public async Task Killed_while_removing_an_expired_activations_factor_the_restart_finishes_the_removal_once()
    {
        string requestId;
        await using (var first = await StartAsync(CrashPoints.FactorDeleted, activationTimeout: "00:00:03"))
        {
            requestId = await SubmitAsync(first);
            await DecideAsync(first, "approve", requestId);
            await first.WaitForCrashAsync(); // the activation expired, Okta deleted the factor, the bot died before saving it
        }

        var pendingFactorId = (await _store.FindAsync(requestId, CancellationToken.None))!.Result!.FactorId;
        Assert.Single(KeyCards());

        Assert.Equal(RequestState.RemovingFactor, (await _store.FindAsync(requestId, CancellationToken.None))!.State);
        Assert.Empty(_okta.FactorsOf(OktaSandboxSeed.AliceId)!);

        await using var second = await StartAsync();
        await WaitForStateAsync(requestId, RequestState.ActivationFailed);
        var audit = await _store.AuditTrailAsync(requestId, CancellationToken.None);
        Assert.Single(audit, a => a.Action == "ActivationStopped");
        Assert.Single(audit, a => a.Action == "FactorRemoved");
        Assert.All(_okta.Requests.Where(r => r.OperationId == "unenrollFactor"), r => Assert.EndsWith("/factors/" + pendingFactorId, r.Path, StringComparison.Ordinal));

        // An approver's Retry enrols again, without a second reset, and Alice finishes with the new key.
        await DecideAsync(second, "retry", requestId);
        await Eventually.WaitUntilAsync(() => KeyCards().Count == 2, "the new key card", ProcessRestart);
        await ActivateWithTheKeyCardAsync(second, requestId);
        Assert.Single(_okta.Requests, r => r.OperationId == "resetFactors");
        Assert.Equal(2, _okta.Requests.Count(r => r.OperationId == "enrollFactor"));
        var factor = Assert.Single(_okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal("ACTIVE", factor.Status);
    }

    [Fact]
    public async Task Killed_after_Okta_accepted_the_code_the_code_typed_again_completes_the_request_and_keeps_the_factor()
    {
        string requestId;
        await using (var first = await StartAsync(CrashPoints.CodeAccepted))
        {
            requestId = await SubmitAsync(first);
            await DecideAsync(first, "approve", requestId);
            await AwaitingActivationWithKeyAsync(requestId);
            await EnterCodeAsync(first, requestId, expectCrash: true);
            await first.WaitForCrashAsync();
        }

        // Okta activated the factor; the bot died before it knew, and Alice got no answer.
        Assert.Equal("ACTIVE", Assert.Single(_okta.FactorsOf(OktaSandboxSeed.AliceId)!).Status);
        Assert.Equal(RequestState.AwaitingActivation, (await _store.FindAsync(requestId, CancellationToken.None))!.State);

        // So she types the code again: Okta has nothing pending to check it against, and the bot asks what Okta holds.
        await using var second = await StartAsync();
        await EnterCodeAsync(second, requestId);

        await WaitForStateAsync(requestId, RequestState.Completed);
        await AssertOneUsableFactorAsync(requestId, lostEnrolment: false);
    }

    [Fact]
    public async Task Killed_after_Okta_accepted_the_code_the_activation_deadline_completes_the_request_instead_of_removing_the_factor()
    {
        string requestId;
        await using (var first = await StartAsync(CrashPoints.CodeAccepted, activationTimeout: "00:00:20"))
        {
            requestId = await SubmitAsync(first);
            await DecideAsync(first, "approve", requestId);
            await AwaitingActivationWithKeyAsync(requestId);
            await EnterCodeAsync(first, requestId, expectCrash: true);
            await first.WaitForCrashAsync();
        }

        // Nobody types anything more: when the stored deadline comes, the bot finds the factor ACTIVE and does not delete it.
        await using var second = await StartAsync();
        await WaitForStateAsync(requestId, RequestState.Completed);
        await AssertOneUsableFactorAsync(requestId, lostEnrolment: false);
        Assert.DoesNotContain(await _store.AuditTrailAsync(requestId, CancellationToken.None), a => a.Action == "ActivationStopped");
    }

    private Task<HostProcess> StartAsync(string? crashAt = null, Uri? okta = null, string? activationTimeout = null, bool stepUp = false)
    {
        var settings = TeamsTestHost.SettingsFor(_teams)
            .Where(s => s.Value is not null)
            .ToDictionary(s => s.Key, s => s.Value!);
        settings["ConnectionStrings:ChatOpsMfa"] = $"Data Source={DatabasePath}";
        settings["Okta:Client:OrgUrl"] = (okta ?? _okta.BaseUrl!).ToString();
        settings["Okta:Client:Token"] = _okta.Token;
        settings["Okta:Sandbox:Enabled"] = "false";
        settings["Outbox:RetryDelay"] = "00:00:00.100";
        settings["Outbox:PollInterval"] = "00:00:00.200";
        settings["Activation:PollInterval"] = "00:00:00.500";
        if (activationTimeout is not null)
        {
            settings["Activation:Timeout"] = activationTimeout;
        }

        if (crashAt is not null)
        {
            settings["Testing:CrashAt"] = crashAt;
        }

        if (stepUp)
        {
            settings["Approvals:ApproverVerification"] = "OktaVerifyPush";
            settings["Approvals:VerificationPollInterval"] = "00:00:00.200";
        }

        return HostProcess.StartAsync(settings, _folder);
    }

    /// <summary>Alice asks for a TOTP factor in her personal chat; returns the request's id once it waits for approval.</summary>
    private async Task<string> SubmitAsync(HostProcess host)
    {
        await InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "submitRequest",
            new JsonObject { ["verb"] = "submitRequest", ["factor"] = Totp }, ServiceUrl));
        var request = Assert.Single(await _store.ListInStatesAsync([RequestState.AwaitingApproval], CancellationToken.None));
        return request.Id;
    }

    /// <summary>Bob clicks a button on the approval card in the support channel.</summary>
    private async Task DecideAsync(HostProcess host, string verb, string requestId, bool expectCrash = false)
    {
        try
        {
            await InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), verb,
                new JsonObject { ["verb"] = verb, ["requestId"] = requestId }, ServiceUrl));
        }
        catch (HttpRequestException) when (expectCrash)
        {
            // The process died while answering the click: that is the point of the test.
        }
    }

    /// <summary>
    /// Alice types the code her authenticator app shows for the key in the newest key card she received (as the
    /// person would: from the card, not from the bot's store), and the request completes.
    /// </summary>
    private async Task<ResetRequest> ActivateWithTheKeyCardAsync(HostProcess host, string requestId)
    {
        await Eventually.WaitUntilAsync(() => KeyCards().Count > 0, "Alice's key card", ProcessRestart);
        await WaitForStateAsync(requestId, RequestState.AwaitingActivation);
        await EnterCodeAsync(host, requestId);
        return await WaitForStateAsync(requestId, RequestState.Completed);
    }

    /// <summary>Alice types the current code for the newest key she was sent into the activation card.</summary>
    private async Task EnterCodeAsync(HostProcess host, string requestId, bool expectCrash = false)
    {
        var code = SandboxTotp.Code(KeyCards()[^1], DateTimeOffset.UtcNow);
        try
        {
            await InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "activate",
                new JsonObject { ["verb"] = "activate", ["requestId"] = requestId, ["passCode"] = code }, ServiceUrl));
        }
        catch (HttpRequestException) when (expectCrash)
        {
            // The process died before answering: Alice is told nothing.
        }
    }

    /// <summary>
    /// The activation is open and everything about it was delivered and recorded (the key card and where it went,
    /// the activation card). A kill between a post and the outbox noting it would send that message again.
    /// </summary>
    private async Task<ResetRequest> AwaitingActivationWithKeyAsync(string requestId)
    {
        var request = await WaitForStateAsync(requestId, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(() => KeyCards().Count > 0, "Alice's key card", ProcessRestart);
        await Eventually.WaitUntilAsync(() => OwedMessages(requestId) == 0
            && _store.FindAsync(requestId, CancellationToken.None).GetAwaiter().GetResult()?.KeyMessage is not null,
            "the key card to be recorded as delivered", ProcessRestart);
        return request;
    }

    /// <summary>
    /// One reset; exactly one factor in Okta, ACTIVE, the request's; one enrolment, or, when its answer was lost, the
    /// factor it made deleted ("LostEnrolmentRemoved") and one enrolment more. Alice received one key: the one that works.
    /// </summary>
    private async Task AssertOneUsableFactorAsync(string requestId, bool lostEnrolment, string? lostFactorId = null)
    {
        var request = (await _store.FindAsync(requestId, CancellationToken.None))!;
        Assert.Equal(RequestState.Completed, request.State);
        Assert.Single(_okta.Requests, r => r.OperationId == "resetFactors");
        var factor = Assert.Single(_okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal(("ACTIVE", "token:software:totp", request.Result!.FactorId), (factor.Status, factor.FactorType, factor.Id));
        Assert.Single(KeyCards());

        var audit = await _store.AuditTrailAsync(requestId, CancellationToken.None);
        Assert.Single(audit, a => a.Action == "ResetSucceeded");
        Assert.Single(audit, a => a.Action == "EnrollSucceeded");
        Assert.Single(audit, a => a.Action == "Activated");
        var deletes = _okta.Requests.Where(r => r.OperationId == "unenrollFactor").ToList();
        // Whatever the crash, the person's sessions were revoked right after the reset, and only once.
        Assert.Single(_okta.Requests, r => r.OperationId == "revokeUserSessions");
        if (lostEnrolment)
        {
            Assert.Equal(2, _okta.Requests.Count(r => r.OperationId == "enrollFactor"));
            var removed = Assert.Single(audit, a => a.Action == "LostEnrolmentRemoved");
            var delete = Assert.Single(deletes);
            Assert.DoesNotContain(factor.Id, delete.Path, StringComparison.Ordinal);
            if (lostFactorId is not null)
            {
                Assert.EndsWith("/factors/" + lostFactorId, delete.Path, StringComparison.Ordinal);
                Assert.Contains(lostFactorId, removed.Detail, StringComparison.Ordinal);
            }
        }
        else
        {
            Assert.Single(_okta.Requests, r => r.OperationId == "enrollFactor");
            Assert.Empty(deletes);
            Assert.DoesNotContain(audit, a => a.Action == "LostEnrolmentRemoved");
        }
    }

    private async Task<ResetRequest> WaitForStateAsync(string requestId, RequestState state)
    {
        ResetRequest? request = null;
        await Eventually.WaitUntilAsync(() =>
        {
            request = _store.FindAsync(requestId, CancellationToken.None).GetAwaiter().GetResult();
            return request?.State == state;
        }, $"request {requestId} to be {state} (it is {request?.State})", ProcessRestart);
        return request!;
    }

    /// <summary>The setup keys in the messages the bot posted to Alice's personal chat, oldest first.</summary>
    private List<string> KeyCards() =>
        _teams.ConnectorCalls
            .Where(c => c.Method == "POST" && c.Path == $"/v3/conversations/{Alice.PersonalConversationId}/activities")
            .Select(c => CardText.SetupKey(c.Json)).OfType<string>().ToList();

    /// <summary>How many chat messages the outbox still owes for the request.</summary>
    private long OwedMessages(string requestId)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox WHERE request_id = $id";
        command.Parameters.AddWithValue("$id", requestId);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The stored payloads of key cards still to be delivered for the request.</summary>
    private List<string> OwedKeyCardPayloads(string requestId)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM outbox WHERE request_id = $id AND kind = $kind";
        command.Parameters.AddWithValue("$id", requestId);
        command.Parameters.AddWithValue("$kind", nameof(OutboxKind.Result));
        using var reader = command.ExecuteReader();
        var payloads = new List<string>();
        while (reader.Read())
        {
            payloads.Add(reader.GetString(0));
        }

        return payloads;
    }

    private string ServiceUrl => _teams.BaseUrl + "/";

    private async Task InvokeAsync(HostProcess host, JsonObject activity)
    {
        using var http = new HttpClient { BaseAddress = host.Address };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BotTokens.Create(_teamsKey, ServiceUrl));
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{activity["name"]}: {(int)response.StatusCode}\n{host.Output}");
    }
}
