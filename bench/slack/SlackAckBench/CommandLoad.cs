using System.Diagnostics;

namespace SlackAckBench;

/// <summary>Sends signed /mfa-reset commands at a fixed rate and records each acknowledgement's latency.</summary>
internal sealed class CommandLoad(Uri baseUrl, string signingSecret)
{
    private const int MaxInFlight = 1024;

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 })
    {
        BaseAddress = baseUrl,
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly SignedCommand _commands = new(signingSecret);

    public async Task<LoadResult> RunAsync(int rate, int seconds, string label)
    {
        var total = rate * seconds;
        var latencies = new double[total];
        var failures = 0;
        var inFlight = new SemaphoreSlim(MaxInFlight);
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var scheduled = TimeSpan.FromSeconds((double)i / rate);
            var wait = scheduled - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            await inFlight.WaitAsync();
            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var request = _commands.Create($"{label}-{index}-{Guid.NewGuid():N}");
                    using var response = await _http.SendAsync(request);
                    latencies[index] = (clock.Elapsed - scheduled).TotalMilliseconds;
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    latencies[index] = double.NaN;
                    Interlocked.Increment(ref failures);
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
        return new LoadResult(latencies.Where(l => !double.IsNaN(l)).Order().ToArray(), failures);
    }
}
