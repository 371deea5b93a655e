using System.Text.Json.Nodes;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Okta.Sandbox;
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

    /// <summary>
    /// The page's Content-Security-Policy: scripts, styles and calls from this server only (Web Chat inserts its
    /// styles inline), no framing (the approver's buttons cannot be overlaid by another site). Images may also be
    /// data URIs, which is how a key card carries its QR code, and blob URLs Web Chat makes itself: no image ever
    /// comes from another host.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Maps <c>/</c> (the page), <c>/local/info</c> and <c>/v3/directline/*</c>, for loopback callers only, and the
    /// sandbox panel (<c>/local/sandbox/*</c>) when the in-process Okta sandbox is the Okta in use. Does nothing when
    /// local chat is off.
    /// </summary>
    public static WebApplication MapLocalChat(this WebApplication app)
    {
        if (app.Services.GetService<LocalChatChannel>() is null)
        {
            return app;
        }

        app.UseWhen(IsLocalChatRequest, local =>
        {
            local.UseMiddleware<LoopbackOnlyMiddleware>();
            local.Use((context, next) =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return next(context);
            });
            local.UseDefaultFiles();
            local.UseStaticFiles();
        });

        DirectLineEndpoints.Map(app);
        var sandboxPanel = SandboxIsTheOktaInUse(app.Services);
        if (sandboxPanel)
        {
            SandboxPanelEndpoints.Map(app);
        }

        app.MapGet("/local/info", (IOptions<LocalChatOptions> options) => Results.Json(new JsonObject
        {
            ["mode"] = "local",
            ["oktaSandbox"] = options.Value.OktaIsSandbox,
            ["sandboxPanel"] = sandboxPanel,
            ["supportConversationId"] = options.Value.SupportConversationId,
            ["botName"] = LocalChatChannel.Bot.Name,
        }));
        return app;
    }

    /// <summary>
    /// The panel shows and drives the in-process sandbox, so it exists only when the bot talks to that sandbox: not
    /// with an Okta org, and not with a sandbox in another process (whose inbox this one is not).
    /// </summary>
    private static bool SandboxIsTheOktaInUse(IServiceProvider services) =>
        services.GetService<OktaEndpoint>() is { IsSandbox: true } && services.GetService<OktaSandbox>() is not null;

    private static bool IsLocalChatRequest(HttpContext context)
    {
        var path = context.Request.Path;
        return path == "/" || path == "/index.html"
            || path.StartsWithSegments("/local")
            || path.StartsWithSegments("/lib/botframework-webchat")
            || path.StartsWithSegments("/v3/directline");
    }
}
