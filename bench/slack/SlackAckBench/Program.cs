// Measures how fast POST /api/slack/commands is acknowledged. Loopback only, bounded in rate, duration and concurrency.
//
// Open loop (each request is sent at its scheduled time whether or not earlier ones have answered, and its latency
// counts from that time, so a stall shows up instead of being hidden), against our bot:
//   SlackAckBench <ChatOpsMfa.dll> [rate/s] [seconds]
// Burst (closed loop: N connections each sending as fast as answers come back), ours against Slack Bolt for JavaScript
// doing the same work and against bare Kestrel doing none, in interleaved rounds so machine noise hits all alike:
//   SlackAckBench <ChatOpsMfa.dll> burst <BareEndpoint.dll> <bolt folder> [seconds per round] [rounds] [connections]
using System.Diagnostics;
using System.Globalization;
using SlackAckBench;

var appDll = args.Length > 0 ? Path.GetFullPath(args[0]) : throw new ArgumentException("Pass the path to ChatOpsMfa.dll.");
if (args.Length > 1 && args[1] == "burst")
{
    return await Burst.RunAsync(appDll, args[2..]);
}

var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
if (rate is < 1 or > 2000 || seconds is < 1 or > 120)
{
    throw new ArgumentException("Keep the rate within 1-2000/s and the duration within 1-120 s.");
}

await using var fakeSlack = await FakeSlack.StartAsync();
using var app = await BotProcess.StartAsync(appDll, fakeSlack.BaseUrl);
var load = new CommandLoad(app.BaseUrl, BotProcess.SigningSecret);

Console.WriteLine($"Warming up for 3 s at {Math.Min(rate, 100)}/s ...");
await load.RunAsync(Math.Min(rate, 100), 3, "warmup");

Console.WriteLine($"Measuring POST /api/slack/commands at {rate}/s for {seconds} s (loopback) ...");
var stopwatch = Stopwatch.StartNew();
var result = await load.RunAsync(rate, seconds, "run");
stopwatch.Stop();

result.Print(rate, seconds, stopwatch.Elapsed);
Console.WriteLine($"views.open calls the fake Slack received during the whole run (incl. warm-up): {fakeSlack.ViewsOpened}");
return result.Failures == 0 ? 0 : 1;
