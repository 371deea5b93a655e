using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack;

/// <summary>
/// Learns the installation at start: <c>auth.test</c> names the bot token's workspace (<c>team_id</c>, and
/// <c>enterprise_id</c> for Enterprise Grid) and its bot, <c>bots.info</c> the bot's <c>app_id</c>. Configured
/// <c>Slack:TeamId</c> / <c>Slack:AppId</c> must agree with them, or startup stops: a token of another workspace is a
/// misconfiguration that must not run. When Slack cannot be reached at start, it keeps trying in the background, and
/// in the meantime configured values (both set) are used, or nothing is accepted.
/// </summary>
public sealed partial class SlackInstallationDiscovery(
    SlackApiClient api, SlackInstallation installation, IOptions<SlackOptions> options, TimeProvider time,
    ILogger<SlackInstallationDiscovery> logger) : IHostedService
{
    // Never disposed: it has no timer, and a host may be stopped again after the container disposed its services.
    private readonly CancellationTokenSource _stopping = new();
    private Task? _retrying;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.TeamId) && !string.IsNullOrWhiteSpace(settings.AppId))
        {
            installation.Pin(settings.TeamId, null, settings.AppId);
        }

        try
        {
            await LearnAsync(cancellationToken);
        }
        catch (SlackApiException error) when (error.Error is "invalid_auth" or "not_authed" or "account_inactive" or "token_revoked")
        {
            throw new InvalidOperationException($"Slack:BotToken was refused by Slack's auth.test ({error.Error}): copy the bot token again.", error);
        }
        catch (SlackApiException error)
        {
            LogNotReachable(error.Error);
            _retrying = RetryAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_retrying is { } retrying)
        {
            await retrying.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        var wait = options.Value.SocketInitialBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, time, cancellationToken);
                await LearnAsync(cancellationToken);
                return;
            }
            catch (SlackApiException error)
            {
                LogNotReachable(error.Error);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.Value.SocketMaxBackoff.Ticks));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task LearnAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var auth = await api.CallAsync("auth.test", [], cancellationToken);
        var teamId = Text(auth, "team_id") ?? throw new SlackApiException("auth.test", "no_team_id", "the answer named no workspace");
        var enterpriseId = Text(auth, "enterprise_id");
        Agree("Slack:TeamId", settings.TeamId, teamId);

        var appId = settings.AppId;
        if (Text(auth, "bot_id") is { } botId)
        {
            var bot = await api.CallAsync("bots.info", new JsonObject { ["bot"] = botId }, cancellationToken);
            var learnt = Text(bot["bot"] as JsonObject, "app_id");
            if (learnt is not null)
            {
                Agree("Slack:AppId", settings.AppId, learnt);
                appId = learnt;
            }
        }

        if (string.IsNullOrWhiteSpace(appId))
        {
            throw new InvalidOperationException(
                "Slack:AppId is required: bots.info did not name the app of Slack:BotToken (copy the App ID from the app's Basic Information page).");
        }

        installation.Pin(teamId, enterpriseId, appId);
        LogPinned(teamId, enterpriseId ?? "none", appId);
    }

    // A configured value that the token contradicts stops startup: the token is another workspace's or app's.
    private static void Agree(string key, string configured, string learnt)
    {
        if (!string.IsNullOrWhiteSpace(configured) && !string.Equals(configured, learnt, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{key} is {configured}, but Slack:BotToken belongs to {learnt}: fix one of them.");
        }
    }

    private static string? Text(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack installation pinned: workspace {TeamId}, organisation {EnterpriseId}, app {AppId}")]
    private partial void LogPinned(string teamId, string enterpriseId, string appId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack auth.test could not be completed ({Error}); trying again in the background, Slack payloads wait")]
    private partial void LogNotReachable(string error);
}
