using System.Collections;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ChatOpsMfa.FlowBench;

/// <summary>The real bot as its own process, ready once /healthz answers; disposing kills that process only.</summary>
internal sealed class BotProcess : IDisposable
{
    private readonly Process _process;

    private BotProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    /// <summary>Starts the bot with <paramref name="settings"/>; this benchmark's variables named <c>BOT_X</c> reach it as <c>X</c>.</summary>
    public static async Task<BotProcess> StartAsync(string appDll, IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [appDll])
        {
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Urls"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && key.StartsWith("BOT_", StringComparison.Ordinal) && variable.Value is string value)
            {
                start.Environment[key["BOT_".Length..]] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the bot.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[bot] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bot = new BotProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = bot.BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 240; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bot exited with code {process.ExitCode} during startup.");
            }

            try
            {
                if ((await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                {
                    return bot;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        bot.Dispose();
        throw new TimeoutException("The bot did not answer /healthz within 60 s.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // only the process this benchmark started
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
