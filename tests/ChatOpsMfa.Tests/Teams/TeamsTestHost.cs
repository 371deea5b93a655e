using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Channels.Teams.Connector;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The real host with the Teams channel on, pointed at <see cref="FakeBotFramework"/> for keys, tokens and the
/// Connector (listed in TrustedServiceUrlHosts), with real SQLite and the Okta sandbox. Log lines are kept so tests
/// can check that no secret reaches them.
/// </summary>
/// <param name="clock">The host's clock, when a test moves time itself (start it at the real time: the Connector's
/// tokens are minted on the machine clock and checked on this one).</param>
/// <param name="services">What a test replaces in the host's services (a slow handler, ...), after everything else.</param>
internal sealed class TeamsTestHost(
    FakeBotFramework fake, IDictionary<string, string?>? settings = null, TimeProvider? clock = null, Action<IServiceCollection>? services = null)
    : BotTestHost("teams", SettingsFor(fake).Concat(settings ?? new Dictionary<string, string?>()))
{
    private int _started;

    public FakeBotFramework Fake { get; } = fake;

    /// <summary>
    /// Starts the host and waits for what it does at start (the support team's roster), then forgets those calls,
    /// so a test sees only what its own steps caused. Idempotent; <see cref="PostAsync"/> calls it.
    /// </summary>
    public async Task StartAsync()
    {
        _ = Services;
        if (Interlocked.Exchange(ref _started, 1) == 0 && Services.GetService<TeamsRoster>() is { } roster)
        {
            await roster.FirstSync.WaitAsync(TimeSpan.FromSeconds(30));
            Fake.ResetRecording();
        }
    }

    /// <summary>
    /// Every Connector call to a host off loopback is delivered to the fake instead, with its Host header kept, so a
    /// test sees what a look-alike host such as <c>evil.trafficmanager.net</c> would have received.
    /// </summary>
    protected override void ConfigureHost(IWebHostBuilder builder) => builder.ConfigureTestServices(collection =>
    {
        collection.AddHttpClient(ConnectorClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new RedirectToFakeHandler(Fake.BaseUri));
        collection.Replace(ServiceDescriptor.Singleton(new ConnectorRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(20) }));
        if (clock is not null)
        {
            collection.AddSingleton(clock);
        }

        services?.Invoke(collection);
    });

    /// <summary>The host's clock: the one given, or the system's.</summary>
    public TimeProvider Clock => Services.GetRequiredService<TimeProvider>();

    /// <summary>The log as "Level Category: message exception" lines.</summary>
    public IEnumerable<string> LogLines => Logs.Lines.Select(l => $"{l.Level} {l.Category}: {l.Message} {l.Exception}");

    public string ServiceUrl => Fake.BaseUrl + "/";

    /// <summary>POSTs an activity to /api/messages with the given Authorization header value (null: none).</summary>
    public async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? authorization)
    {
        await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await CreateClient().SendAsync(request);
    }

    /// <summary>Sends as the Connector does: signed with <paramref name="key"/>, serviceurl claim = the activity's.</summary>
    public Task<HttpResponseMessage> SendSignedAsync(JsonObject activity, TestSigningKey key) =>
        PostAsync(activity, "Bearer " + BotTokens.Create(key, activity["serviceUrl"]!.GetValue<string>()));

    /// <summary>The settings that point the host at this fake (the robustness host reuses them).</summary>
    internal static Dictionary<string, string?> SettingsFor(FakeBotFramework fake) => new()
    {
        ["LocalChat:Enabled"] = "false",
        ["Approvals:Approvers:0"] = TeamsUsers.Bob.AadObjectId,
        ["MicrosoftAppType"] = "MultiTenant",
        ["MicrosoftAppId"] = FakeBotFramework.AppId,
        ["MicrosoftAppPassword"] = FakeBotFramework.AppPassword,
        ["ToBotFromChannelOpenIdMetadataUrl"] = fake.MetadataUrl,
        ["ToChannelFromBotLoginUrl"] = fake.BaseUrl + "/botframework.com",
        ["TrustedServiceUrlHosts"] = "127.0.0.1",
        ["Teams:AllowedTenants"] = FakeBotFramework.TenantId,
        ["Teams:SupportChannelId"] = TeamsUsers.SupportChannelId,
        ["Teams:ServiceUrl"] = fake.BaseUrl + "/",
    };
}
