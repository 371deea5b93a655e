using System.Diagnostics;
using System.Globalization;
using System.Text;
using ChatOpsMfa.Tests.Teams.Fakes;

// Starts the fake Bot Framework (keys, Entra token, Connector) and the real host on loopback, then sends signed
// "hello" activities to POST /api/messages from concurrent workers for a fixed time. Reports requests/s, p50/p99
// latency and how often the OpenID metadata was fetched. Usage: bench/teams/run.sh [seconds] [concurrency]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
seconds = Math.Clamp(seconds, 1, 120);
var hostDll = Path.GetFullPath(args.Length > 2 ? args[2] : "src/ChatOpsMfa/bin/Release/net10.0/ChatOpsMfa.dll");

await using var fake = await FakeBotFramework.StartAsync();
fake.Recording = false;
fake.BotFrameworkKeys.Add(new TestSigningKey("bench-key", "msteams"));
fake.AddMember("29:1alice", "Alice Example", "a11ce000-0000-4000-8000-000000000001", "alice@example.com");

var port = FreePort();
var folder = Directory.CreateTempSubdirectory("chatopsmfa-bench-").FullName;
var start = new ProcessStartInfo("dotnet", [hostDll, "--urls", $"http://127.0.0.1:{port}"])
{
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    WorkingDirectory = Path.GetDirectoryName(hostDll)!,
};
foreach (var (key, value) in new Dictionary<string, string>
         {
             ["ASPNETCORE_ENVIRONMENT"] = "Development",
             ["Approvals__ApproverVerification"] = "None", // measures the bot, not a phone
             ["Logging__LogLevel__Default"] = "Warning",
             ["ConnectionStrings__ChatOpsMfa"] = $"Data Source={Path.Combine(folder, "bench.db")}",
             ["Okta__Sandbox__Enabled"] = "true",
             ["Okta__Client__OrgUrl"] = "",
             ["LocalChat__Enabled"] = "false",
             ["MicrosoftAppId"] = FakeBotFramework.AppId,
             ["MicrosoftAppPassword"] = FakeBotFramework.AppPassword,
             ["ToBotFromChannelOpenIdMetadataUrl"] = fake.MetadataUrl,
             ["ToChannelFromBotLoginUrl"] = fake.BaseUrl + "/botframework.com",
             ["TrustedServiceUrlHosts"] = "127.0.0.1",
             ["Teams__SupportChannelId"] = "19:support@thread.tacv2",
             ["Teams__AllowedTenants"] = FakeBotFramework.TenantId,
             ["Teams__ServiceUrl"] = fake.BaseUrl + "/",
         })
{
    start.Environment[key] = value;
}

using var host = Process.Start(start)!;
_ = host.StandardOutput.ReadToEndAsync();
_ = host.StandardError.ReadToEndAsync();
try
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    await WaitForHealthAsync(http, host);

    var serviceUrl = fake.BaseUrl + "/";
    var token = BotTokens.Create(fake.BotFrameworkKeys[0], serviceUrl);
    var body = Activity(serviceUrl);

    await RunAsync(http, token, body, TimeSpan.FromSeconds(2), concurrency); // warm-up: JIT, first key and token fetch
    var fetchesBefore = fake.MetadataFetches;
    var connectorBefore = fake.ConnectorCallCount;
    var (latencies, failures, elapsed) = await RunAsync(http, token, body, TimeSpan.FromSeconds(seconds), concurrency);
    latencies.Sort();

    Console.WriteLine($"POST /api/messages, {concurrency} concurrent, {elapsed.TotalSeconds:F1} s, signed Bot Framework token, cached keys");
    Console.WriteLine($"requests: {latencies.Count}  failed: {failures}");
    Console.WriteLine($"requests/s: {latencies.Count / elapsed.TotalSeconds:F0}");
    Console.WriteLine($"latency p50: {Percentile(latencies, 0.50):F2} ms  p99: {Percentile(latencies, 0.99):F2} ms  max: {latencies[^1]:F2} ms");
    Console.WriteLine($"OpenID metadata fetches: {fake.MetadataFetches} in total, {fake.MetadataFetches - fetchesBefore} during the measured run");
    Console.WriteLine($"Connector calls during the run: {fake.ConnectorCallCount - connectorBefore} (one help reply per message); Entra token requests in total: {fake.TokenRequests}");
    return failures == 0 && fake.MetadataFetches == 1 ? 0 : 1;
}
finally
{
    host.Kill(entireProcessTree: true);
    await host.WaitForExitAsync();
    Directory.Delete(folder, recursive: true);
}

static async Task<(List<double> Latencies, int Failures, TimeSpan Elapsed)> RunAsync(
    HttpClient http, string token, string body, TimeSpan duration, int concurrency)
{
    var all = new List<double>();
    var failures = 0;
    var clock = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        var mine = new List<double>();
        while (clock.Elapsed < duration)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref failures);
            }
        }

        lock (all)
        {
            all.AddRange(mine);
        }
    }).ToArray();
    await Task.WhenAll(workers);
    return (all, failures, clock.Elapsed);
}

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

static string Activity(string serviceUrl) => new System.Text.Json.Nodes.JsonObject
{
    ["type"] = "message",
    ["id"] = "f:bench",
    ["timestamp"] = "2026-01-01T00:00:00Z",
    ["serviceUrl"] = serviceUrl,
    ["channelId"] = "msteams",
    ["from"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "29:1alice", ["name"] = "Alice Example", ["aadObjectId"] = "a11ce000-0000-4000-8000-000000000001" },
    ["conversation"] = new System.Text.Json.Nodes.JsonObject { ["conversationType"] = "personal", ["tenantId"] = FakeBotFramework.TenantId, ["id"] = "a:1personal-alice" },
    ["recipient"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "28:" + FakeBotFramework.AppId, ["name"] = "ChatOps MFA" },
    ["text"] = "hello",
    ["locale"] = "en-US",
}.ToJsonString();

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task WaitForHealthAsync(HttpClient http, Process host)
{
    for (var i = 0; i < 120; i++)
    {
        if (host.HasExited)
        {
            throw new InvalidOperationException($"The host exited with {host.ExitCode} before it was healthy.");
        }

        try
        {
            using var response = await http.GetAsync("/healthz");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }

        await Task.Delay(250);
    }

    throw new TimeoutException("The host did not become healthy within 30 s.");
}
