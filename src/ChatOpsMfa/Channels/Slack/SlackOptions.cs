namespace ChatOpsMfa.Channels.Slack;

/// <summary>
/// Section <c>Slack</c>. The channel is on when <see cref="BotToken"/> is set. The tokens and the signing secret are
/// secrets: <see cref="ToString"/> leaves them out so they cannot reach a log line through this object.
/// </summary>
public sealed class SlackOptions
{
    public const string SectionName = "Slack";

    /// <summary>Verifies that HTTP requests come from Slack (Basic Information, "Signing Secret"). Required in HTTP mode.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>The bot token (<c>xoxb-</c>) for Web API calls.</summary>
    public string BotToken { get; set; } = "";

    /// <summary>An app-level token (<c>xapp-</c>, scope <c>connections:write</c>): set it to use Socket Mode instead of public HTTP endpoints.</summary>
    public string AppToken { get; set; } = "";

    /// <summary>Where the Web API lives; tests point it at a local fake.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>The channel id (C…) where approval messages go; the bot must be a member.</summary>
    public string SupportChannelId { get; set; } = "";

    /// <summary>
    /// The workspace (T…) the bot serves. Optional: <c>auth.test</c> tells it at start; when set, the bot token must
    /// belong to it. Payloads and people from any other workspace are refused.
    /// </summary>
    public string TeamId { get; set; } = "";

    /// <summary>The app's id (A…, Basic Information). Optional: <c>bots.info</c> tells it at start; payloads for another app are refused.</summary>
    public string AppId { get; set; } = "";

    /// <summary>The <c>users.info</c> profile field that holds the Okta login; <c>email</c> unless the workspace uses another.</summary>
    public string EmailAttribute { get; set; } = "email";

    /// <summary>How many times one Web API call is retried after 429 before giving up.</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

    /// <summary>
    /// How many times a call that is safe to repeat (a read, an update) is retried after a 5xx, a timeout or a dropped
    /// connection. Posts are never repeated that way: a post that timed out may have been posted.
    /// </summary>
    public int MaxTransientRetries { get; set; } = 2;

    /// <summary>The longest <c>Retry-After</c> we wait for; a longer one fails the call instead of hanging the work.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first Socket Mode reconnect delay after a dropped connection; it doubles up to <see cref="SocketMaxBackoff"/>.</summary>
    public TimeSpan SocketInitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest reconnect delay; also the wait after Slack sends <c>disconnect</c> with reason <c>link_disabled</c>.</summary>
    public TimeSpan SocketMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the Socket Mode link is pinged (WebSocket ping frames).</summary>
    public TimeSpan SocketPingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a pong may take before the link is taken for dead and replaced.</summary>
    public TimeSpan SocketPingTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a delivery key (event id, trigger id, action) is remembered to drop Slack's retries.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    public bool UsesSocketMode => !string.IsNullOrWhiteSpace(AppToken);

    public override string ToString() =>
        $"Slack(ApiBaseUrl={ApiBaseUrl}, SupportChannelId={SupportChannelId}, SocketMode={UsesSocketMode}, " +
        $"SigningSecret={(string.IsNullOrEmpty(SigningSecret) ? "unset" : "set")}, BotToken={(Enabled ? "set" : "unset")})";
}
