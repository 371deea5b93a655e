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
    private readonly SortedDictionary<int, int> _statuses = [];

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
            _statuses[(int)response.StatusCode] = _statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            if ((int)response.StatusCode >= 500 && (int)response.StatusCode != input.ProtocolStatus)
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

    /// <summary>How many answers had a 2xx status: proof that the run got past authentication and parsing.</summary>
    public int Accepted => _statuses.Where(s => s.Key is >= 200 and < 300).Sum(s => s.Value);

    /// <summary>How many answers were neither 401 nor 403: the inputs that were judged on their content.</summary>
    public int PastAuthentication => _statuses.Where(s => s.Key is not (401 or 403)).Sum(s => s.Value);

    /// <summary>After queued work is done: state equal to <paramref name="baseline"/>, no exception logged, no failure seen.</summary>
    public async Task AssertCleanAsync(string baseline)
    {
        if (await host.SnapshotAsync() != baseline)
        {
            _failures.Add($"the stored state changed during the {endpoint} run");
        }

        _failures.AddRange(host.Errors.ExceptionEntries.Select(e => "logged " + e));
        var summary = $"{endpoint}: {Tried} malformed inputs tried; statuses " + string.Join(", ", _statuses.Select(s => $"{s.Key}x{s.Value}"));
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Assert.True(_failures.Count == 0, $"{endpoint}: {_failures.Count} problem(s) in {Tried} inputs:\n" + string.Join("\n", _failures.Take(20)));
    }
}
