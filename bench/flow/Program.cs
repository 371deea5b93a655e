// The whole flow, timed: N complete recoveries through Slack's public protocol against the real bot (its own process)
// and the Okta sandbox. Each recovery: a signed /mfa-reset, the modal's view_submission, then Bob's Approve click in the
// support channel; measured from sending that click until the key message naming the new factor id reaches the
// person's DM in the fake Slack, and split into the sandbox's own handler time and the rest (the time the bot adds).
// Recoveries run one after another, each for a person of its own. Loopback only, bounded, stops by itself.
//
// Usage: ChatOpsMfa.FlowBench <ChatOpsMfa.dll> [recoveries, default 50]
//   Variables named BOT_X reach the bot as X (BOT_Storage__Provider=PostgreSQL, BOT_ConnectionStrings__ChatOpsMfa=...).
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ChatOpsMfa.Cards;
using ChatOpsMfa.FlowBench;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Tests.Slack;

const string SigningSecret = "flow-bench-signing-secret-0123456789";
const string SupportChannel = "CSUPPORT";
const int Warmup = 3;

var appDll = args.Length > 0 ? Path.GetFullPath(args[0]) : throw new ArgumentException("Pass the path to ChatOpsMfa.dll.");
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
if (count is < 1 or > 500)
{
    throw new ArgumentException("Keep the recoveries within 1-500.");
}

using var timing = new SandboxTiming();
await using var okta = await OktaSandbox.StartNewAsync();
await using var slack = await FakeSlackApi.StartAsync();
timing.SandboxPort = okta.BaseUrl!.Port;
timing.SlackPort = slack.BaseUrl.Port;

// One person per recovery, in Okta and in Slack (same email: the default identity binding), made before the bot starts.
var people = Enumerable.Range(0, Warmup + count).Select(i =>
{
    var login = $"flow{i:D3}@example.com";
    var oktaId = okta.AddUser(login, "Flow", $"Person{i:D3}");
    var slackId = $"UFLOW{i:D3}";
    slack.Users[slackId] = ($"Flow Person{i:D3}", login);
    return (SlackId: slackId, OktaId: oktaId, Login: login);
}).ToList();

var folder = Directory.CreateTempSubdirectory("flow-bench-").FullName;
var settings = new Dictionary<string, string>
{
    ["ASPNETCORE_ENVIRONMENT"] = "Development",
    ["LocalChat:Enabled"] = "false",
    ["Approvals:Approvers:0"] = "UBOB",
    ["Approvals:ApproverVerification"] = "None",
    ["ConnectionStrings:ChatOpsMfa"] = $"Data Source={Path.Combine(folder, "flow.db")}",
    ["Okta:Sandbox:Enabled"] = "false",
    ["Okta:Client:OrgUrl"] = okta.BaseUrl.ToString(),
    ["Okta:Client:Token"] = okta.Token,
    ["Slack:BotToken"] = FakeSlackApi.BotToken,
    ["Slack:SigningSecret"] = SigningSecret,
    ["Slack:ApiBaseUrl"] = slack.BaseUrl.ToString(),
    ["Slack:SupportChannelId"] = SupportChannel,
    ["Slack:TeamId"] = FakeSlackApi.TeamId,
    ["Slack:AppId"] = FakeSlackApi.AppId,
};

var results = new List<(double Total, double Sandbox, int Calls)>();
try
{
    using var bot = await BotProcess.StartAsync(appDll, settings);
    using var http = new HttpClient { BaseAddress = bot.BaseUrl, Timeout = TimeSpan.FromSeconds(10) };
    Console.WriteLine($"{count} recoveries (after {Warmup} to warm up), one at a time: /mfa-reset, view_submission, Approve; timed from the click to the factor id in the DM");
    for (var i = 0; i < people.Count; i++)
    {
        var (total, sandbox, calls) = await RecoverAsync(http, people[i], i);
        if (i >= Warmup)
        {
            results.Add((total, sandbox, calls));
        }
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

Print("Approve click to factor id posted", results.Select(r => r.Total));
Print("  of which in the Okta sandbox's handlers", results.Select(r => r.Sandbox));
Print("  the bot adds (total - sandbox)", results.Select(r => r.Total - r.Sandbox));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Okta requests per recovery after the click: {results.Average(r => r.Calls):0.0}"));
return 0;

async Task<(double Total, double Sandbox, int Calls)> RecoverAsync(HttpClient http, (string SlackId, string OktaId, string Login) person, int index)
{
    await PostAsync(http, "api/slack/commands", SlackPayloads.Command(person.SlackId, $"trigger-flow-{index}"));
    await PostAsync(http, "api/slack/interactions",
        SlackPayloads.Form("payload", SlackPayloads.ViewSubmission(person.SlackId, $"VFLOW{index:D3}", "token:software:totp", "GOOGLE").ToJsonString()));
    var approval = await WaitForAsync(() => slack.CallsTo("chat.postMessage").FirstOrDefault(c =>
        c.Channel == SupportChannel && c.ThreadTs is null && c.Ok && c.AllText.Contains(person.Login, StringComparison.Ordinal)), "the approval message");
    var requestId = approval.Body["blocks"]!.AsArray()
        .Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray()
        .Single(e => e!["action_id"]!.GetValue<string>() == CardVerbs.Approve)!["value"]!.GetValue<string>();

    var dm = "D" + person.SlackId[1..];
    var posted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
    timing.SlackAnswered = (path, at) =>
    {
        if (path == "/api/chat.postMessage" && slack.CallsTo("chat.postMessage").Any(c => c.Channel == dm && c.Ok && c.AllText.Contains("was enrolled (factor", StringComparison.Ordinal)))
        {
            posted.TrySetResult(at);
        }
    };

    var clicked = Stopwatch.GetTimestamp();
    await PostAsync(http, "api/slack/interactions", SlackPayloads.Form("payload",
        SlackPayloads.Click("UBOB", CardVerbs.Approve, requestId, SupportChannel, approval.Answer["ts"]!.GetValue<string>(), $"{index + 1}.5").ToJsonString()));
    var done = await posted.Task.WaitAsync(TimeSpan.FromSeconds(30));
    timing.SlackAnswered = null;

    // The factor id in the message is the one Okta holds for this person.
    var key = slack.CallsTo("chat.postMessage").First(c => c.Channel == dm && c.AllText.Contains("was enrolled (factor", StringComparison.Ordinal));
    var factorId = Regex.Match(key.AllText, @"was enrolled \(factor (?:`)?([A-Za-z0-9]+)").Groups[1].Value;
    if (okta.FactorsOf(person.OktaId)?.Any(f => f.Id == factorId) != true)
    {
        throw new InvalidOperationException($"Recovery {index}: the posted factor id '{factorId}' is not {person.Login}'s factor in the sandbox.");
    }

    var (sandbox, calls) = timing.SandboxTimeBetween(clicked, done);
    // Let the rest of this recovery (QR upload, activation message) finish before the next click is timed.
    await WaitForAsync(() => slack.CallsTo("files.completeUploadExternal").Count() > index ? "" : null, "the QR upload");
    await Task.Delay(100);
    return (Stopwatch.GetElapsedTime(clicked, done).TotalMilliseconds, sandbox, calls);
}

async Task PostAsync(HttpClient http, string path, string body)
{
    var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningSecret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
    using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
    request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
    request.Headers.Add("X-Slack-Signature", signature);
    using var response = await http.SendAsync(request);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

static async Task<T> WaitForAsync<T>(Func<T?> probe, string what)
    where T : class
{
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed < TimeSpan.FromSeconds(30))
    {
        if (probe() is { } found)
        {
            return found;
        }

        await Task.Delay(5);
    }

    throw new TimeoutException($"Timed out waiting for {what}.");
}

static void Print(string what, IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    double At(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what,-45} p50 {At(0.5),7:0.00}  p99 {At(0.99),7:0.00}  max {At(1),7:0.00} ms  (n={sorted.Length})"));
}
