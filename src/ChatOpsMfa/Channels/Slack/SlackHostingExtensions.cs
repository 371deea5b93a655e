using ChatOpsMfa.Channels.Slack.Inbound;
using ChatOpsMfa.Channels.Slack.SocketMode;
using ChatOpsMfa.Channels.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Slack;

/// <summary>Wires Slack into the host: options, the Web API client, the channel, the endpoints or Socket Mode.</summary>
public static class SlackHostingExtensions
{
    /// <summary>
    /// Registers the Slack channel when <c>Slack:BotToken</c> is set. In HTTP mode (no <c>Slack:AppToken</c>) a missing
    /// <c>Slack:SigningSecret</c> stops startup: without it no request could be verified.
    /// </summary>
    public static WebApplicationBuilder AddSlack(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SlackOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section[nameof(SlackOptions.BotToken)]))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.SectionName)
            .Validate(o => o.UsesSocketMode || !string.IsNullOrWhiteSpace(o.SigningSecret),
                "Slack:SigningSecret is required when Slack:BotToken is set and Slack:AppToken is not (HTTP mode): " +
                "copy it from the app's Basic Information page.")
            .Validate(o => o.BotToken.StartsWith("xoxb-", StringComparison.Ordinal),
                "Slack:BotToken must be a bot token (xoxb-…), from OAuth & Permissions.")
            .Validate(o => !o.UsesSocketMode || o.AppToken.StartsWith("xapp-", StringComparison.Ordinal),
                "Slack:AppToken must be an app-level token (xapp-…) with the connections:write scope.")
            .Validate(o => SlackIds.IsChannelId(o.SupportChannelId) && !SlackIds.IsDirectChannel(o.SupportChannelId),
                "Slack:SupportChannelId must be the id (C… or G…) of the channel where approval messages go.")
            .Validate(o => o.ApiBaseUrl is { IsAbsoluteUri: true } url && url.Scheme is "https" or "http" && url.AbsolutePath.EndsWith('/'),
                "Slack:ApiBaseUrl must be an absolute http(s) URL ending in '/', such as https://slack.com/api/.")
            .Validate(o => o.TeamId.Length == 0 || SlackIds.IsTeamId(o.TeamId), "Slack:TeamId must be a workspace id (T…), or empty to learn it from auth.test.")
            .Validate(o => o.AppId.Length == 0 || SlackIds.IsAppId(o.AppId), "Slack:AppId must be an app id (A…), or empty to learn it from bots.info.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.EmailAttribute), "Slack:EmailAttribute must name a profile field, such as email.")
            .Validate(o => o.MaxRateLimitRetries >= 0 && o.MaxTransientRetries is >= 0 and <= 10 && o.SocketInitialBackoff > TimeSpan.Zero && o.SocketMaxBackoff >= o.SocketInitialBackoff,
                "Slack:MaxRateLimitRetries and Slack:MaxTransientRetries (at most 10) must not be negative, and the Socket Mode backoffs must be positive.")
            .Validate(o => o.SocketPingInterval > TimeSpan.Zero && o.SocketPingTimeout > TimeSpan.Zero,
                "Slack:SocketPingInterval and Slack:SocketPingTimeout must be positive.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        // The factory's own request logging is left out: SlackApiClient logs what matters (refusals, retries, rate limits)
        // itself, and the two logging handlers and their scope were a measurable share of each views.open under a burst.
        services.AddHttpClient(SlackApiClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10)).RemoveAllLoggers();
        services.AddSingleton<SlackApiClient>();
        services.AddSingleton<SlackInstallation>();
        services.AddHostedService<SlackInstallationDiscovery>();
        services.AddSingleton<SlackFiles>();
        services.AddSingleton<SlackUserDirectory>();
        services.AddSingleton<SlackChatChannel>();
        services.AddSingleton<IChatChannel>(sp => sp.GetRequiredService<SlackChatChannel>());
        services.AddSingleton<SlackRequestVerifier>();
        services.AddSingleton<SlackDeliveryRecorder>();
        services.AddSingleton<SlackBackgroundWork>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackBackgroundWork>());
        services.AddSingleton<SlackModalWork>();
        services.AddHostedService(sp => sp.GetRequiredService<SlackModalWork>());
        services.AddSingleton<SlackInboundDispatcher>();
        if (!string.IsNullOrWhiteSpace(section[nameof(SlackOptions.AppToken)]))
        {
            services.AddSingleton<SlackSocketModeClient>();
            services.AddHostedService(sp => sp.GetRequiredService<SlackSocketModeClient>());
        }

        return builder;
    }

    /// <summary>Maps <c>/api/slack/commands</c>, <c>/interactions</c> and <c>/events</c> when the Slack channel is on.</summary>
    public static WebApplication MapSlackEndpoints(this WebApplication app)
    {
        if (app.Services.GetService<IOptions<SlackOptions>>() is not { Value.Enabled: true })
        {
            return app;
        }

        SlackEndpoints.Map(app);
        return app;
    }
}
