using System.Diagnostics;

namespace SlackAckBench;

/// <summary>
/// The ceilings, from bench/slack/BareEndpoint: "bare" (plain Kestrel answering 200 with no work) and "floor" (the same
/// plus one views.open per command with the same view, to the same fake Slack: the work every server here must do).
/// </summary>
internal static class BareProcess
{
    public const string FloorToken = "xoxb-floor";

    public static Task<ServerProcess> StartAsync(string bareDll) => StartAsync("bare Kestrel", bareDll, []);

    public static Task<ServerProcess> StartFloorAsync(string bareDll, Uri slackApi, string viewJson)
    {
        var folder = Directory.CreateTempSubdirectory("slack-bench-floor-").FullName;
        var viewFile = Path.Combine(folder, "view.json");
        File.WriteAllText(viewFile, viewJson);
        return StartAsync("bare Kestrel + views.open", bareDll, new Dictionary<string, string>
        {
            ["BARE_SLACK_API"] = slackApi.ToString(),
            ["BARE_VIEW_FILE"] = viewFile,
            ["BARE_SLACK_TOKEN"] = FloorToken,
        }, folder);
    }

    private static Task<ServerProcess> StartAsync(string name, string bareDll, Dictionary<string, string> extra, string? folder = null)
    {
        var port = ServerProcess.FreePort();
        var environment = new Dictionary<string, string>(extra) { ["Urls"] = $"http://127.0.0.1:{port}" };
        var start = new ProcessStartInfo("dotnet", [bareDll]) { WorkingDirectory = Path.GetDirectoryName(bareDll)! };
        return ServerProcess.StartAsync(name, start, port, environment, folder);
    }
}
