using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Crash;
using ChatOpsMfa.Tests.Slack;
using ChatOpsMfa.Tests.Storage;

namespace ChatOpsMfa.Tests.Cluster;

/// <summary>
/// Three real bot processes (<c>dotnet ChatOpsMfa.dll</c>) on ONE PostgreSQL database, behind no load balancer: the
/// test chooses which instance each Slack request reaches. They share one fake Slack Web API and one Okta sandbox,
/// which live in this test process and so outlive any instance the test kills; each instance has the same Slack
/// secrets and Data Protection application name, and nothing else in common but the database.
/// </summary>
internal sealed class SlackCluster : IAsyncDisposable
{
    public const string AliceDm = "DALICE";
    public const int Size = 3;

    /// <summary>How long anything a process does in the background may take here (2 shared cores, real processes).</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-cluster-").FullName;
    private readonly List<HostProcess> _instances = [];
    private PostgresTestDatabase _database = null!;
    private OktaAnswerHolder? _holder;

    private SlackCluster()
    {
    }

    public FakeSlackApi Slack { get; private set; } = null!;

    public OktaSandbox Okta { get; private set; } = null!;

    /// <summary>The pass-through in front of Okta that can keep an enrol answer from the bot (when asked for).</summary>
    public OktaAnswerHolder AnswerHolder => _holder ?? throw new InvalidOperationException("This cluster was started without the answer holder.");

    public IReadOnlyList<HostProcess> Instances => _instances;

    /// <summary>The requests as the instances stored them, read from the shared database.</summary>
    public RequestStore Store { get; private set; } = null!;

    /// <summary>
    /// A fresh database, the fakes, and three instances started together (as a deployment's replicas start), each
    /// migrating the same empty database. <paramref name="holdOktaAnswers"/> puts <see cref="AnswerHolder"/> between
    /// the instances and Okta.
    /// </summary>
    public static async Task<SlackCluster> StartAsync(bool holdOktaAnswers = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = new SlackCluster();
        try
        {
            cluster._database = await PostgresTestDatabase.CreateAsync(); // skips (fails under CI) without a server
            cluster.Slack = await FakeSlackApi.StartAsync();
            cluster.Okta = await OktaSandbox.StartNewAsync(cancellationToken: TestContext.Current.CancellationToken);
            if (holdOktaAnswers)
            {
                cluster._holder = await OktaAnswerHolder.StartAsync(cluster.Okta.BaseUrl!);
            }

            // A TOTP request has no contact details to decrypt, so the test's reader needs no share of the key ring.
            cluster.Store = new RequestStore(cluster._database.Database, TestContactProtector.Create(), new WalCheckpointer(cluster._database.Database));
            var starting = Enumerable.Range(0, Size).Select(_ => HostProcess.StartAsync(cluster.SettingsWith(settings), cluster._folder)).ToList();
            try
            {
                await Task.WhenAll(starting);
            }
            finally
            {
                cluster._instances.AddRange(starting.Where(s => s.IsCompletedSuccessfully).Select(s => s.Result));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>POSTs a form body to one instance, signed exactly as Slack signs it; a retry carries Slack's retry headers.</summary>
    public async Task<HttpStatusCode> PostSignedAsync(HostProcess instance, string path, string body, int? retryNum = null)
    {
        using var http = new HttpClient { BaseAddress = instance.Address, Timeout = Within };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        SlackTestHost.Sign(request, body);
        if (retryNum is { } retry)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    public Task<HttpStatusCode> InteractAsync(HostProcess instance, JsonObject payload, int? retryNum = null) =>
        PostSignedAsync(instance, "api/slack/interactions", SlackPayloads.Form("payload", payload.ToJsonString()), retryNum);

    /// <summary>Alice submits the request modal (TOTP) to <paramref name="instance"/>; returns the request and its approval message's ts.</summary>
    public async Task<(string RequestId, string ApprovalTs)> SubmitAsync(HostProcess instance, string viewId)
    {
        Assert.Equal(HttpStatusCode.OK, await InteractAsync(instance, SlackPayloads.ViewSubmission("UALICE", viewId, "token:software:totp", "GOOGLE")));
        await Eventually.WaitUntilAsync(() => ApprovalMessage() is not null, "the approval message", Within);
        var approval = ApprovalMessage()!;
        var requestId = approval.Body["blocks"]!.AsArray()
            .Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray()
            .Single(e => e!["action_id"]!.GetValue<string>() == CardVerbs.Approve)!["value"]!.GetValue<string>();
        return (requestId, approval.Answer["ts"]!.GetValue<string>());
    }

    /// <summary>
    /// Alice opens the code modal from her DM and submits the code her app shows for the newest key she was sent (as
    /// she would: from the message, not from the bot's store), both through <paramref name="instance"/>.
    /// </summary>
    public async Task<ResetRequest> ActivateWithTheKeyMessageAsync(HostProcess instance, string requestId)
    {
        await Eventually.WaitUntilAsync(() => KeyMessages().Count > 0 && ActivationMessage() is not null, "the key and activation messages", Within);
        var modalsBefore = CodeModals();
        Assert.Equal(HttpStatusCode.OK, await InteractAsync(instance, SlackPayloads.Click("UALICE", CardVerbs.EnterCode, requestId, AliceDm,
            ActivationMessage()!.Answer["ts"]!.GetValue<string>(), "1700000900.000001")));
        await Eventually.WaitUntilAsync(() => CodeModals() > modalsBefore, "the code modal", Within);
        var code = SandboxTotp.Code(SetupKey(KeyMessages()[^1]), DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, await InteractAsync(instance, SlackPayloads.CodeSubmission("UALICE", "VCODE", requestId, code)));
        return await WaitForStateAsync(requestId, RequestState.Completed);
    }

    public async Task<ResetRequest> WaitForStateAsync(string requestId, RequestState state)
    {
        ResetRequest? request = null;
        await Eventually.WaitUntilAsync(async () =>
        {
            request = await Store.FindAsync(requestId, CancellationToken.None);
            return request?.State == state;
        }, $"request {requestId} to be {state} (it is {request?.State})", Within);
        return request!;
    }

    /// <summary>The approval message: the one top-level post in the support channel.</summary>
    public RecordedSlackCall? ApprovalMessage() =>
        Slack.CallsTo("chat.postMessage").FirstOrDefault(c => c.Channel == SlackTestHost.SupportChannel && c.ThreadTs is null && c.Ok);

    public RecordedSlackCall? ActivationMessage() =>
        Slack.CallsTo("chat.postMessage").LastOrDefault(c => c.Channel == AliceDm && c.Ok && c.AllText.Contains("Enter the code", StringComparison.Ordinal));

    /// <summary>The key messages Slack accepted for Alice's DM, oldest first.</summary>
    public List<RecordedSlackCall> KeyMessages() =>
        Slack.CallsTo("chat.postMessage").Where(c => c.Channel == AliceDm && c.Ok && c.AllText.Contains("Setup key", StringComparison.Ordinal)).ToList();

    /// <summary>The setup key as the key message shows it (in a code span of its "Setup key" section).</summary>
    public static string SetupKey(RecordedSlackCall keyMessage) =>
        keyMessage.Body["blocks"]!.AsArray()
            .Single(b => b!["text"]?["text"]?.GetValue<string>().Contains("Setup key", StringComparison.Ordinal) == true)!["text"]!["text"]!
            .GetValue<string>().Split('`')[1];

    /// <summary>Who holds the request's Okta-work lease now (the holder id is "machine/pid/random"), or null.</summary>
    public async Task<HostProcess?> WorkHolderAsync(string requestId)
    {
        await using var connection = await _database.Database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command("SELECT work_holder FROM requests WHERE id = @id").With("@id", requestId);
        if (await command.ExecuteScalarAsync(CancellationToken.None) is not string holder)
        {
            return null;
        }

        var pid = int.Parse(holder.Split('/')[1], CultureInfo.InvariantCulture);
        return Assert.Single(_instances, i => i.ProcessId == pid);
    }

    /// <summary>How many Data Protection keys the key ring in the shared database holds.</summary>
    public async Task<long> KeyRingKeysAsync()
    {
        await using var connection = await _database.Database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command("SELECT COUNT(*) FROM data_protection_keys");
        return Convert.ToInt64(await command.ExecuteScalarAsync(CancellationToken.None), CultureInfo.InvariantCulture);
    }

    /// <summary>What every instance wrote to its console: attached to a failure, it says which instance did what.</summary>
    public string Output() =>
        string.Join("\n", _instances.Select((i, n) => $"===== instance {n} (pid {i.ProcessId}{(i.HasExited ? ", dead" : "")}) =====\n{i.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        if (_holder is not null)
        {
            await _holder.DisposeAsync();
        }

        if (Okta is not null)
        {
            await Okta.DisposeAsync();
        }

        if (Slack is not null)
        {
            await Slack.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private int CodeModals() =>
        Slack.CallsTo("views.open").Count(c => c.Ok && c.AllText.Contains("6-digit code", StringComparison.Ordinal));

    private Dictionary<string, string> SettingsWith(IReadOnlyDictionary<string, string>? extra)
    {
        var settings = SlackTestHost.SettingsFor(Slack).ToDictionary(s => s.Key, s => s.Value ?? "");
        settings["Slack:TeamId"] = FakeSlackApi.TeamId;
        settings["Slack:AppId"] = FakeSlackApi.AppId;
        settings["Storage:Provider"] = nameof(StorageProvider.PostgreSQL);
        settings["ConnectionStrings:ChatOpsMfa"] = _database.ConnectionString;
        settings["Okta:Client:OrgUrl"] = (_holder?.BaseUrl ?? Okta.BaseUrl!).ToString();
        settings["Okta:Client:Token"] = Okta.Token;
        settings["Okta:Sandbox:Enabled"] = "false";
        settings["Outbox:RetryDelay"] = "00:00:00.100";
        settings["Outbox:MaxRetryDelay"] = "00:00:00.500";
        settings["Outbox:PollInterval"] = "00:00:00.200";
        settings["Activation:PollInterval"] = "00:00:00.500";
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
