using System.Diagnostics;

namespace SlackAckBench;

/// <summary>Slack Bolt for JavaScript (bench/slack/bolt/app.js) doing the same work, on the same fake Slack.</summary>
internal static class BoltProcess
{
    public const string BotToken = "xoxb-bolt";

    public static Task<ServerProcess> StartAsync(string boltFolder, Uri slackApi, string viewJson)
    {
        var port = ServerProcess.FreePort();
        var folder = Directory.CreateTempSubdirectory("slack-bench-bolt-").FullName;
        var viewFile = Path.Combine(folder, "view.json");
        File.WriteAllText(viewFile, viewJson);
        var environment = new Dictionary<string, string>
        {
            ["BOLT_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SLACK_SIGNING_SECRET"] = BotProcess.SigningSecret,
            ["SLACK_BOT_TOKEN"] = BotToken,
            ["SLACK_API_URL"] = slackApi.ToString(),
            ["BOLT_VIEW_FILE"] = viewFile,
            ["NODE_ENV"] = "production",
        };
        var start = new ProcessStartInfo("node", ["app.js"]) { WorkingDirectory = boltFolder };
        return ServerProcess.StartAsync("bolt", start, port, environment, folder);
    }
}
