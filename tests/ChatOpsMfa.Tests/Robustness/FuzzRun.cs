using System.Text;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// Sends generated inputs to one endpoint of a <see cref="RobustnessHost"/> and checks the three promises after each:
/// no 5xx, the durable state (requests, audit, outbox rows) unchanged, no Error/Critical log entry naming an exception.
/// Work the endpoint queues for later is checked once it has settled, by <see cref="AssertSettledAsync"/>.
/// </summary>
internal sealed class FuzzRun(RobustnessHost host, string endpoint)
{
    private readonly List<string> _failures = [];

    public int Tried { get; private set; }

    public static HttpRequestMessage Request(HttpMethod method, string path, byte[]? body, string? contentType, string? authorization = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Sends every input in order; each one's state and logs are compared with the baseline taken first.</summary>
    public async Task SendAllAsync(IEnumerable<FuzzInput> inputs, bool checkStateEachInput = true)
    {
        var client = host.CreateClient();
        var baseline = await host.SnapshotAsync();
        var index = 0;
        foreach (var input in inputs)
        {
            index++;
            Tried++;
            using var request = input.Build();
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            if ((int)response.StatusCode >= 500)
            {
                _failures.Add($"#{index} {input.Description}: answered {(int)response.StatusCode}");
            }

            if (checkStateEachInput && await host.SnapshotAsync() != baseline)
            {
                _failures.Add($"#{index} {input.Description}: changed the stored state");
                baseline = await host.SnapshotAsync();
            }

            if (host.Errors.ExceptionEntries.Count > 0)
            {
                _failures.Add($"#{index} {input.Description}: logged {host.Errors.ExceptionEntries[0]}");
                host.Errors.Clear();
            }
        }
    }

    /// <summary>After queued work is done: state equal to <paramref name="baseline"/>, no exception logged, no failure seen.</summary>
    public async Task AssertCleanAsync(string baseline)
    {
        if (await host.SnapshotAsync() != baseline)
        {
            _failures.Add($"the stored state changed during the {endpoint} run");
        }

        _failures.AddRange(host.Errors.ExceptionEntries.Select(e => "logged " + e));
        TestContext.Current.SendDiagnosticMessage($"{endpoint}: {Tried} malformed inputs tried");
        TestContext.Current.TestOutputHelper?.WriteLine($"{endpoint}: {Tried} malformed inputs tried");
        Assert.True(_failures.Count == 0, $"{endpoint}: {_failures.Count} problem(s) in {Tried} inputs:\n" + string.Join("\n", _failures.Take(20)));
    }

}
