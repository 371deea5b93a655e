using System.Globalization;

namespace SlackAckBench;

/// <summary>
/// The burst comparison: ours, Bolt and bare Kestrel all started at once, each warmed up, then measured in rounds whose
/// order rotates, so a noisy moment on the shared machine lands on each of them in turn. Each server runs alone while
/// it is measured (the others are idle), and the queued work of one burst (views.open) is given time to drain first.
/// </summary>
internal static class Burst
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(string appDll, string[] args)
    {
        if (args.Length < 2)
        {
            throw new ArgumentException("burst needs the paths to BareEndpoint.dll and to bench/slack/bolt.");
        }

        var bareDll = Path.GetFullPath(args[0]);
        var boltFolder = Path.GetFullPath(args[1]);
        var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        var connections = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 16;
        if (seconds is < 1 or > 60 || rounds is < 1 or > 10 || connections is < 1 or > 64)
        {
            throw new ArgumentException("Keep a round within 1-60 s, the rounds within 1-10 and the connections within 1-64.");
        }

        // BENCH_ONLY=ours (or bolt, bare, floor, comma-separated) measures a subset, for profiling one of them.
        var only = Environment.GetEnvironmentVariable("BENCH_ONLY")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        bool Wanted(string name) => only is null || only.Contains(name, StringComparer.OrdinalIgnoreCase);

        var commands = new SignedCommand(BotProcess.SigningSecret);
        await using var fakeSlack = await FakeSlack.StartAsync();
        var servers = new List<(string Key, ServerProcess Server)>();
        try
        {
            // Ours first: its first modal is the one Bolt opens, so both send Slack the same view.
            var ours = await BotProcess.StartAsync(appDll, fakeSlack.BaseUrl);
            servers.Add(("ours", ours));
            await BurstLoad.RunAsync(ours.BaseUrl, commands, connections, Warmup, "warmup");
            var view = await FirstViewAsync(fakeSlack);
            if (Wanted("bolt"))
            {
                servers.Add(("bolt", await BoltProcess.StartAsync(boltFolder, fakeSlack.BaseUrl, view)));
            }

            if (Wanted("bare"))
            {
                servers.Add(("bare", await BareProcess.StartAsync(bareDll)));
            }

            if (Wanted("floor"))
            {
                servers.Add(("floor", await BareProcess.StartFloorAsync(bareDll, fakeSlack.BaseUrl, view)));
            }

            if (!Wanted("ours"))
            {
                servers.RemoveAt(0);
                ours.Dispose();
            }

            foreach (var (_, server) in servers.Skip(Wanted("ours") ? 1 : 0))
            {
                await BurstLoad.RunAsync(server.BaseUrl, commands, connections, Warmup, "warmup");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Burst: {connections} connections, each sending signed /mfa-reset as fast as answers come back; {rounds} rounds of {seconds} s per server, order rotating (loopback)"));
            foreach (var (key, server) in servers)
            {
                Console.WriteLine($"  {key}: {server.Name}, pid {server.ProcessId}, {server.BaseUrl}");
            }

            var results = servers.ToDictionary(s => s.Key, _ => new List<BurstResult>());
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < servers.Count; i++)
                {
                    var (key, server) = servers[(i + round) % servers.Count];
                    await Task.Delay(Drain);
                    var result = await BurstLoad.RunAsync(server.BaseUrl, commands, connections, TimeSpan.FromSeconds(seconds), $"r{round}");
                    results[key].Add(result);
                    Console.WriteLine($"round {round + 1} {key,-5} {result.Describe()}");
                }
            }

            await Task.Delay(Drain);
            Console.WriteLine("all rounds:");
            foreach (var (key, list) in results)
            {
                Console.WriteLine($"  {key,-5} {BurstResult.Combine(list).Describe()}");
            }

            if (results.TryGetValue("bare", out var bare))
            {
                var ceiling = BurstResult.Combine(bare).Throughput;
                foreach (var (key, list) in results.Where(r => r.Key != "bare"))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {key} throughput / bare Kestrel's: {BurstResult.Combine(list).Throughput / ceiling:0.00}"));
                }
            }

            Console.WriteLine($"views.open calls the fake Slack received (incl. warm-up): ours {fakeSlack.ViewsOpenedWith(BotProcess.BotToken)}, bolt {fakeSlack.ViewsOpenedWith(BoltProcess.BotToken)}, floor {fakeSlack.ViewsOpenedWith(BareProcess.FloorToken)}");
            return results.Values.All(list => list.All(r => r.Load.Failures == 0)) ? 0 : 1;
        }
        finally
        {
            foreach (var (_, server) in servers)
            {
                server.Dispose();
            }
        }
    }

    private static async Task<string> FirstViewAsync(FakeSlack fakeSlack)
    {
        for (var i = 0; i < 100; i++)
        {
            if (fakeSlack.FirstViewOf(BotProcess.BotToken) is { Length: > 0 } view)
            {
                return view;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("Our bot opened no modal during the warm-up, so there is nothing for Bolt to open.");
    }
}
