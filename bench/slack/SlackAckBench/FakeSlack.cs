using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace SlackAckBench;

/// <summary>
/// A minimal Slack Web API on loopback that answers ok to everything, so the background calls succeed. It counts
/// <c>views.open</c> per bot token (ours and Bolt's use different ones) and keeps the first modal each token opened.
/// </summary>
internal sealed class FakeSlack : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _viewsOpened = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _firstView = new(StringComparer.Ordinal);

    private FakeSlack(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public int ViewsOpened => _viewsOpened.Values.Sum();

    public int ViewsOpenedWith(string token) => _viewsOpened.TryGetValue(token, out var count) ? count : 0;

    /// <summary>The <c>view</c> argument of the first <c>views.open</c> made with <paramref name="token"/>, if any.</summary>
    public string? FirstViewOf(string token) => _firstView.TryGetValue(token, out var view) ? view : null;

    public static async Task<FakeSlack> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeSlack(app);
        app.MapPost("/api/{method}", async (string method, HttpRequest request) =>
        {
            if (method == "views.open")
            {
                var token = request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal);
                fake._viewsOpened.AddOrUpdate(token, 1, (_, n) => n + 1);
                if (!fake._firstView.ContainsKey(token) && request.HasFormContentType)
                {
                    var form = await request.ReadFormAsync();
                    fake._firstView.TryAdd(token, form["view"].ToString());
                }
                else if (!fake._firstView.ContainsKey(token) && request.HasJsonContentType())
                {
                    var body = await request.ReadFromJsonAsync<JsonObject>();
                    fake._firstView.TryAdd(token, body?["view"]?.ToJsonString() ?? "");
                }
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
