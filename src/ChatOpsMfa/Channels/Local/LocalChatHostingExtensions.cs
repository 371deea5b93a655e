using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Local;

/// <summary>Wires the local web chat (Direct Line endpoints, the two-pane page) into the host.</summary>
public static class LocalChatHostingExtensions
{
    /// <summary>
    /// Registers the local channel when <c>LocalChat:Enabled</c> (default: only in Development). Enabling it in any
    /// other environment stops startup: the page hands out tokens to anyone who can reach it.
    /// </summary>
    public static WebApplicationBuilder AddLocalChat(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(LocalChatOptions.SectionName);
        var enabled = section.GetValue<bool?>(nameof(LocalChatOptions.Enabled)) ?? builder.Environment.IsDevelopment();
        if (!enabled)
        {
            return builder;
        }

        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"LocalChat:Enabled is true but the environment is '{builder.Environment.EnvironmentName}'. " +
                "The local web chat has no real authentication and may only run in Development; remove LocalChat:Enabled.");
        }

        RefuseRealOktaOrg(builder.Configuration);

        builder.Services.AddOptions<LocalChatOptions>()
            .BindConfiguration(LocalChatOptions.SectionName)
            .PostConfigure(options => options.Enabled = true)
            .Validate(options => DirectLineRequestReader.IsValidUserId(options.SupportConversationId),
                "LocalChat:SupportConversationId must be 1-64 letters, digits, '.', '_' or '-'.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.EmailDomain) && !options.EmailDomain.Contains('@'),
                "LocalChat:EmailDomain must be a domain name such as example.com.")
            .Validate(options => options.MaxActivitiesPerConversation > 0, "LocalChat:MaxActivitiesPerConversation must be positive.")
            .Validate(options => options.TokenLifetime > TimeSpan.FromMinutes(15),
                "LocalChat:TokenLifetime must exceed 15 minutes, Web Chat's refresh interval.")
            .Validate(options => options.MaxConversations > 0, "LocalChat:MaxConversations must be positive.")
            .Validate(options => options.MaxTokens > 0, "LocalChat:MaxTokens must be positive.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LocalConversationStore>();
        builder.Services.AddSingleton<DirectLineTokenIssuer>();
        builder.Services.AddSingleton<LocalChatChannel>();
        builder.Services.AddSingleton<IChatChannel>(services => services.GetRequiredService<LocalChatChannel>());
        builder.Services.AddSingleton<LocalInboundDispatcher>();
        builder.Services.AddHostedService<LoopbackBindingCheck>();
        return builder;
    }

    /// <summary>
    /// Anyone who reaches the local chat can claim any user id, so it may only drive the Okta sandbox: the built-in one
    /// (no OrgUrl) or one on this machine (the crash tests run it in the test process so it outlives the bot).
    /// An Okta org is never on loopback.
    /// </summary>
    private static void RefuseRealOktaOrg(IConfiguration configuration)
    {
        const string key = "Okta:Client:OrgUrl";
        var orgUrl = configuration[key];
        if (string.IsNullOrWhiteSpace(orgUrl))
        {
            return;
        }

        if (Uri.TryCreate(orgUrl, UriKind.Absolute, out var uri) && (uri.IsLoopback || LoopbackOnlyMiddleware.IsLoopbackHost(uri.Host)))
        {
            return;
        }

        throw new InvalidOperationException(
            $"{key} names an Okta org ({(uri is null ? "not a URL" : uri.Host)}) while the local web chat is on (LocalChat:Enabled, the default in Development). " +
            "The local chat lets anyone on this machine act as any user, so it only runs with the built-in Okta sandbox: " +
            $"remove {key} to use the sandbox, or set LocalChat:Enabled=false to talk to a real org.");
    }

    /// <summary>Maps <c>/</c> (the page), <c>/local/info</c> and <c>/v3/directline/*</c>, for loopback callers only. Does nothing when local chat is off.</summary>
    public static WebApplication MapLocalChat(this WebApplication app)
    {
        if (app.Services.GetService<LocalChatChannel>() is null)
        {
            return app;
        }

        app.UseWhen(IsLocalChatRequest, local =>
        {
            local.UseMiddleware<LoopbackOnlyMiddleware>();
            local.UseDefaultFiles();
            local.UseStaticFiles();
        });

        DirectLineEndpoints.Map(app);
        app.MapGet("/local/info", (IOptions<LocalChatOptions> options) => Results.Json(new JsonObject
        {
            ["mode"] = "local",
            ["oktaSandbox"] = options.Value.OktaIsSandbox,
            ["supportConversationId"] = options.Value.SupportConversationId,
            ["botName"] = LocalChatChannel.Bot.Name,
        }));
        return app;
    }

    private static bool IsLocalChatRequest(HttpContext context)
    {
        var path = context.Request.Path;
        return path == "/" || path == "/index.html"
            || path.StartsWithSegments("/local")
            || path.StartsWithSegments("/lib/botframework-webchat")
            || path.StartsWithSegments("/v3/directline");
    }
}
