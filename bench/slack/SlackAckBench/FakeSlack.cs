namespace SlackAckBench;

/// <summary>A minimal Slack Web API on loopback that answers ok to everything, so the bot's background calls succeed.</summary>
internal sealed class FakeSlack : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _viewsOpened;

    private FakeSlack(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public int ViewsOpened => Volatile.Read(ref _viewsOpened);

    public static async Task<FakeSlack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSlack(app);
        app.MapPost("/api/{method}", (string method) =>
        {
            if (method == "views.open")
            {
                Interlocked.Increment(ref fake._viewsOpened);
            }

            // auth.test and bots.info name the installation the bot pins itself to (the load's team_id and api_app_id).
            return method switch
            {
                "auth.test" => Results.Json(new { ok = true, team_id = "T0001", user_id = "UBOT", bot_id = "B0001", team = "bench", user = "bot", url = "https://bench.slack.com/" }),
                "bots.info" => Results.Json(new { ok = true, bot = new { id = "B0001", app_id = "A0001" } }),
                _ => Results.Json(new { ok = true, ts = "1700000000.000100", view = new { id = "V1" } }),
            };
        });
        await app.StartAsync();
        fake.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/api/");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
