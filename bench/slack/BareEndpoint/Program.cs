// The ceilings for bench/slack's burst mode, with the SDK's defaults for a web app, on loopback only.
// - bare: plain Kestrel answering 200 to POST /api/slack/commands with no work at all (no signature check, no parsing,
//   no logging, no outbound call).
// - floor (BARE_SLACK_API and BARE_VIEW_FILE set): the same, plus the one outbound call every server in the comparison
//   must make per command: after answering, it sends views.open with the same view to the same fake Slack (a JSON
//   body, one shared HttpClient, nothing else: no verification, no de-duplication, no queue, no retry). No server
//   doing the work can beat it on the same machine, so it shows what the work itself costs.
// Usage: dotnet BareEndpoint.dll (the URL comes from the Urls environment variable, as for the bot)
using System.Net.Http.Headers;
using System.Text;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
if (Environment.GetEnvironmentVariable("BARE_SLACK_API") is { Length: > 0 } slackApi)
{
    var http = new HttpClient { BaseAddress = new Uri(slackApi) };
    var view = File.ReadAllText(Environment.GetEnvironmentVariable("BARE_VIEW_FILE")!);
    var body = Encoding.UTF8.GetBytes($$"""{"trigger_id":"floor","view":{{view}}}""");
    var json = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    var token = new AuthenticationHeaderValue("Bearer", Environment.GetEnvironmentVariable("BARE_SLACK_TOKEN"));

    async Task OpenViewAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "views.open") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = json;
        request.Headers.Authorization = token;
        try
        {
            using var response = await http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // Counted by the fake Slack's tally instead: a call that failed is missing there.
        }
    }

    app.MapPost("/api/slack/commands", () =>
    {
        _ = Task.Run(OpenViewAsync);
        return Results.Ok();
    });
}
else
{
    app.MapPost("/api/slack/commands", () => Results.Ok());
}

app.MapGet("/healthz", () => Results.Ok());
await app.RunAsync();
