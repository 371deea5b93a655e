using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Teams.Auth;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatOpsMfa.Telemetry;

/// <summary>
/// Ready when every chat platform that is configured can authenticate: Slack once <c>auth.test</c> (or the configured
/// ids) pinned the installation, Teams once the Bot Framework's signing keys could be loaded. Until then every inbound
/// request would be refused, so no load balancer should send one here.
/// </summary>
internal sealed class ChatPlatformsHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var ready = new List<string>();
        if (services.GetService<SlackInstallation>() is { } slack)
        {
            (slack.IsKnown ? ready : problems).Add(slack.IsKnown ? "Slack" : "Slack: auth.test has not answered yet");
        }

        if (services.GetService<SigningKeySources>() is { } keys)
        {
            var loaded = await keys.BotFramework.LoadedAsync(cancellationToken);
            (loaded ? ready : problems).Add(loaded ? "Teams" : "Teams: the Bot Framework signing keys could not be loaded");
        }

        if (problems.Count > 0)
        {
            return HealthCheckResult.Unhealthy(string.Join("; ", problems) + ".");
        }

        return HealthCheckResult.Healthy(ready.Count == 0 ? "No Slack or Teams channel is configured." : string.Join(" and ", ready) + " can authenticate.");
    }
}
