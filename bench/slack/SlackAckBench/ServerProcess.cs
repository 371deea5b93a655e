using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SlackAckBench;

/// <summary>
/// One server under test, started as its own process on a free loopback port and ready once GET /healthz answers 200.
/// Disposing kills that process (and only it) and deletes its scratch folder.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string? _folder;

    private ServerProcess(string name, Process process, Uri baseUrl, string? folder)
    {
        Name = name;
        _process = process;
        BaseUrl = baseUrl;
        _folder = folder;
    }

    public string Name { get; }

    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<ServerProcess> StartAsync(
        string name, ProcessStartInfo start, int port, IReadOnlyDictionary<string, string> environment, string? folder = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(name, process, new Uri($"http://127.0.0.1:{port}/"), folder);
        using var http = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 240; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} during startup.");
            }

            try
            {
                if ((await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        server.Dispose();
        throw new TimeoutException($"{name} did not answer /healthz within 60 s.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // only the process this benchmark started
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        if (_folder is not null)
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
