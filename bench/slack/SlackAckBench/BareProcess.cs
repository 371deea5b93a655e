using System.Diagnostics;

namespace SlackAckBench;

/// <summary>The ceiling: bench/slack/BareEndpoint, plain Kestrel answering 200 with no work.</summary>
internal static class BareProcess
{
    public static Task<ServerProcess> StartAsync(string bareDll)
    {
        var port = ServerProcess.FreePort();
        var environment = new Dictionary<string, string> { ["Urls"] = $"http://127.0.0.1:{port}" };
        var start = new ProcessStartInfo("dotnet", [bareDll]) { WorkingDirectory = Path.GetDirectoryName(bareDll)! };
        return ServerProcess.StartAsync("bare Kestrel", start, port, environment);
    }
}
