using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Flow;
using ChatOpsMfa.Tests.Slack;
using ChatOpsMfa.Tests.Teams;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// The real host with every inbound surface on at once: the local chat (Direct Line), Teams (against
/// <see cref="FakeBotFramework"/>), Slack (against <see cref="FakeSlackApi"/>) and the audit export, over a temp
/// SQLite file and the Okta sandbox. Error and Critical log entries are kept for the tests to inspect.
/// </summary>
internal sealed class RobustnessHost : BotTestHost
{
    public const string AuditKey = "robustness-audit-key-0123456789";

    private RobustnessHost(FakeBotFramework teams, FakeSlackApi slack, IDictionary<string, string?>? settings)
        : base("robust", SettingsFor(teams, slack).Concat(settings ?? new Dictionary<string, string?>()))
    {
        Teams = teams;
        Slack = slack;
    }

    public FakeBotFramework Teams { get; }

    public FakeSlackApi Slack { get; }

    public TestSigningKey TeamsKey { get; } = new("robust-key", "msteams");

    public ErrorLogCollector Errors { get; } = new();

    public OktaSandbox Okta => Services.GetRequiredService<OktaSandbox>();

    public string TeamsServiceUrl => Teams.BaseUrl + "/";

    public static async Task<RobustnessHost> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var teams = await FakeBotFramework.StartAsync();
        var slack = await FakeSlackApi.StartAsync();
        var host = new RobustnessHost(teams, slack, settings);
        teams.BotFrameworkKeys.Add(host.TeamsKey);
        foreach (var user in new[] { TeamsUsers.Alice, TeamsUsers.Bob, TeamsUsers.Carol })
        {
            user.AddTo(teams);
        }

        _ = host.Server; // start now, so the database exists before the first snapshot
        await host.Services.GetRequiredService<ChatOpsMfa.Channels.Teams.TeamsRoster>().FirstSync.WaitAsync(TimeSpan.FromSeconds(30));
        teams.ResetRecording(); // the support team's roster, read at start: not what a test sent
        return host;
    }

    public Task<string> SnapshotAsync() => StateSnapshot.TakeAsync(ConnectionString);

    protected override void ConfigureHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.AddProvider(Errors));
        builder.ConfigureTestServices(services =>
            services.AddSingleton<IStartupFilter, LoopbackCallerFilter>());
    }

    // Teams' and Slack's own test settings, then what this host changes: every channel on, approvers from each.
    private static IEnumerable<KeyValuePair<string, string?>> SettingsFor(FakeBotFramework teams, FakeSlackApi slack) =>
        TeamsTestHost.SettingsFor(teams).Concat(SlackTestHost.SettingsFor(slack)).Concat(new Dictionary<string, string?>
        {
            ["LocalChat:Enabled"] = "true",
            ["Approvals:Approvers:0"] = "bob",
            ["Approvals:Approvers:1"] = "UBOB",
            ["Approvals:Approvers:2"] = TeamsUsers.Bob.AadObjectId,
            ["Outbox:RetryDelay"] = "00:00:00.100",
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Audit:ApiKeys:0"] = AuditKey,
        });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Teams.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
