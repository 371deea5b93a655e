using System.Diagnostics;

namespace SlackAckBench;

/// <summary>
/// Closed loop: <c>connections</c> workers, each on its own keep-alive connection, send the next signed command as soon
/// as the previous one is answered, for a fixed time. Latency counts from sending to the whole answer being read.
/// </summary>
internal static class BurstLoad
{
    public static async Task<BurstResult> RunAsync(Uri baseUrl, SignedCommand commands, int connections, TimeSpan duration, string label)
    {
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 })
            {
                BaseAddress = baseUrl,
                Timeout = TimeSpan.FromSeconds(10),
            };
            var latencies = new List<double>(8192);
            var failures = 0;
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                var sent = clock.Elapsed;
                try
                {
                    using var request = commands.Create($"{label}-{worker}-{i}-{Guid.NewGuid():N}");
                    using var response = await http.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        latencies.Add((clock.Elapsed - sent).TotalMilliseconds);
                    }
                    else
                    {
                        failures++;
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    failures++;
                }
            }

            return (latencies, failures);
        })).ToArray();

        var results = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        return new BurstResult(
            new LoadResult(results.SelectMany(r => r.latencies).Order().ToArray(), results.Sum(r => r.failures)), elapsed);
    }
}
