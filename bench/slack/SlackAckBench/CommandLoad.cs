using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

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

    private readonly byte[] _key = Encoding.UTF8.GetBytes(signingSecret);

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
                    using var request = Signed($"{label}-{index}-{Guid.NewGuid():N}");
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

    private HttpRequestMessage Signed(string triggerId)
    {
        var body = "token=bench&team_id=T0001&team_domain=bench&channel_id=CGENERAL&channel_name=general&user_id=UBENCH" +
                   "&user_name=bench&command=%2Fmfa-reset&text=&api_app_id=A0001" +
                   "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0001%2F1%2Fabc&trigger_id=" + triggerId;
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/slack/commands", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", signature);
        return request;
    }
}
