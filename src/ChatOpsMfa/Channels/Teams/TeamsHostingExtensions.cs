using ChatOpsMfa.Channels.Teams.Auth;
using ChatOpsMfa.Channels.Teams.Connector;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>Wires the Microsoft Teams channel (Bot Framework protocol) into the host.</summary>
public static class TeamsHostingExtensions
{
    /// <summary>
    /// Registers the Teams channel when <c>MicrosoftAppId</c> is set. A missing password or tenant for the app type
    /// stops startup with a message naming the key.
    /// </summary>
    public static WebApplicationBuilder AddTeams(this WebApplicationBuilder builder)
    {
        if (!TeamsOptionsReader.IsEnabled(builder.Configuration))
        {
            return builder;
        }

        var configuration = builder.Configuration;
        builder.Services.AddOptions<TeamsOptions>()
            .Configure(options => TeamsOptionsReader.Read(configuration, options))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient(SigningKeySources.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddHttpClient(ConnectorTokenProvider.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));
        builder.Services.AddHttpClient(ConnectorClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton<SigningKeySources>();
        builder.Services.AddSingleton<BotTokenValidator>();
        builder.Services.AddSingleton<ConnectorTokenProvider>();
        builder.Services.TryAddSingleton<ConnectorRetryPolicy>();
        builder.Services.AddSingleton<TeamsDirectoryStore>();
        builder.Services.AddSingleton<TeamsRoster>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TeamsRoster>());
        builder.Services.AddSingleton<TrustedServiceUrls>();
        builder.Services.AddSingleton<ConnectorClient>();
        builder.Services.AddSingleton<TeamsDirectory>();
        builder.Services.AddSingleton<TeamsCardView>();
        builder.Services.AddSingleton<TeamsUserResolver>();
        builder.Services.AddSingleton<TeamsChatChannel>();
        builder.Services.AddSingleton<IChatChannel>(services => services.GetRequiredService<TeamsChatChannel>());
        builder.Services.AddSingleton<TeamsActivityDispatcher>();
        return builder;
    }

    /// <summary>Maps <c>POST /api/messages</c>. Does nothing when the Teams channel is off.</summary>
    public static WebApplication MapTeamsEndpoints(this WebApplication app)
    {
        if (app.Services.GetService<TeamsChatChannel>() is null)
        {
            return app;
        }

        app.MapPost(TeamsActivityEndpoint.Route, TeamsActivityEndpoint.HandleAsync);
        return app;
    }
}
