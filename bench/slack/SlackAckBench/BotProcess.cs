using System.Diagnostics;
using System.Collections;

namespace SlackAckBench;

/// <summary>The real bot, started as its own process with the Slack channel pointed at the fake.</summary>
internal static class BotProcess
{
    public const string SigningSecret = "bench-signing-secret-0123456789abcdef";
    public const string BotToken = "xoxb-bench";

    /// <summary>
    /// Starts the bot. Environment variables of this benchmark named <c>BOT_X</c> reach the bot as <c>X</c> (for
    /// experiments: <c>BOT_DOTNET_gcServer=0</c>, <c>BOT_Logging__LogLevel__Default=Information</c>, a provider).
    /// </summary>
    public static Task<ServerProcess> StartAsync(string appDll, Uri slackApi)
    {
        var port = ServerProcess.FreePort();
        var folder = Directory.CreateTempSubdirectory("slack-bench-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Urls"] = $"http://127.0.0.1:{port}", // appsettings.Development.json sets Urls, which beats ASPNETCORE_URLS
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Approvals__ApproverVerification"] = "None", // measures the bot, not a phone
            ["Logging__LogLevel__Default"] = "Warning",
            ["ConnectionStrings__ChatOpsMfa"] = $"Data Source={Path.Combine(folder, "bench.db")}",
            ["Okta__Sandbox__Enabled"] = "true",
            ["Okta__Client__OrgUrl"] = "",
            ["Slack__BotToken"] = BotToken,
            ["Slack__SigningSecret"] = SigningSecret,
            ["Slack__ApiBaseUrl"] = slackApi.ToString(),
            ["Slack__SupportChannelId"] = "CSUPPORT",
        };
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string key && key.StartsWith("BOT_", StringComparison.Ordinal) && variable.Value is string value)
            {
                environment[key["BOT_".Length..]] = value;
            }
        }

        var start = new ProcessStartInfo("dotnet", [appDll]) { WorkingDirectory = Path.GetDirectoryName(appDll)! };
        return ServerProcess.StartAsync("ours", start, port, environment, folder);
    }
}
