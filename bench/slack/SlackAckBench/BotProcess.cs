using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SlackAckBench;

/// <summary>The real bot, started as its own process on a free loopback port with the Slack channel pointed at the fake.</summary>
internal sealed class BotProcess : IDisposable
{
    public const string SigningSecret = "bench-signing-secret-0123456789abcdef";

    private readonly Process _process;
    private readonly string _folder;

    private BotProcess(Process process, Uri baseUrl, string folder)
    {
        _process = process;
        BaseUrl = baseUrl;
        _folder = folder;
    }

    public Uri BaseUrl { get; }

    public static async Task<BotProcess> StartAsync(string appDll, Uri slackApi)
    {
        var port = FreePort();
        var folder = Directory.CreateTempSubdirectory("slack-bench-").FullName;
        var start = new ProcessStartInfo("dotnet", [appDll])
        {
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}", // appsettings.Development.json sets Urls, which beats ASPNETCORE_URLS
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Approvals__ApproverVerification"] = "None", // measures the bot, not a phone
            ["Logging__LogLevel__Default"] = "Warning",
            ["ConnectionStrings__ChatOpsMfa"] = $"Data Source={Path.Combine(folder, "bench.db")}",
            ["Okta__Sandbox__Enabled"] = "true",
            ["Okta__Client__OrgUrl"] = "",
            ["Slack__BotToken"] = "xoxb-bench",
            ["Slack__SigningSecret"] = SigningSecret,
            ["Slack__ApiBaseUrl"] = slackApi.ToString(),
            ["Slack__SupportChannelId"] = "CSUPPORT",
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the bot.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[bot] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var bot = new BotProcess(process, new Uri($"http://127.0.0.1:{port}/"), folder);
        using var http = new HttpClient { BaseAddress = bot.BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 120; i++)
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
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(250);
        }

        bot.Dispose();
        throw new TimeoutException("The bot did not answer /healthz within 30 s.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // only the process this benchmark started
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
