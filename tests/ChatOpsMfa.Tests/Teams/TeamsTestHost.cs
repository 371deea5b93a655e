using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The real host with the Teams channel on, pointed at <see cref="FakeBotFramework"/> for keys, tokens and the
/// Connector (listed in TrustedServiceUrlHosts), with real SQLite and the Okta sandbox. Log lines are kept so tests
/// can check that no secret reaches them.
/// </summary>
internal sealed class TeamsTestHost : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chatopsmfa-teams-").FullName;
    private readonly Dictionary<string, string?> _settings;

    public TeamsTestHost(FakeBotFramework fake, IDictionary<string, string?>? settings = null)
    {
        Fake = fake;
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:ChatOpsMfa"] = $"Data Source={Path.Combine(_folder, "teams.db")};Pooling=False",
            ["Okta:Sandbox:Enabled"] = "true",
            ["Okta:Client:OrgUrl"] = "",
            ["LocalChat:Enabled"] = "false",
            ["Approvals:Approvers:0"] = TeamsUsers.Bob.AadObjectId,
            ["MicrosoftAppType"] = "MultiTenant",
            ["MicrosoftAppId"] = FakeBotFramework.AppId,
            ["MicrosoftAppPassword"] = FakeBotFramework.AppPassword,
            ["ToBotFromChannelOpenIdMetadataUrl"] = fake.MetadataUrl,
            ["ToChannelFromBotLoginUrl"] = fake.BaseUrl + "/botframework.com",
            ["TrustedServiceUrlHosts"] = "127.0.0.1",
            ["Teams:SupportChannelId"] = TeamsUsers.SupportChannelId,
            ["Teams:ServiceUrl"] = fake.BaseUrl + "/",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public FakeBotFramework Fake { get; }

    public ConcurrentQueue<string> LogLines { get; } = new();

    public string ServiceUrl => Fake.BaseUrl + "/";

    public RequestStore Store => Services.GetRequiredService<RequestStore>();

    public async Task<IReadOnlyList<ResetRequest>> AllRequestsAsync() =>
        await Store.ListInStatesAsync(Enum.GetValues<RequestState>(), CancellationToken.None);

    /// <summary>POSTs an activity to /api/messages with the given Authorization header value (null: none).</summary>
    public async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? authorization)
    {
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new LineCollector(LogLines)));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private sealed class LineCollector(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Collector(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Collector(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
