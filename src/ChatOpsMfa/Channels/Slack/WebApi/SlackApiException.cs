namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>
/// A Web API call Slack refused (<c>ok:false</c>) or that could not complete. Derives from HttpRequestException so the
/// core's notifier treats it like any other lost chat message. The message names the method and Slack's <c>error</c>,
/// never the token or the arguments.
/// </summary>
public sealed class SlackApiException(string method, string error, string? detail = null)
    : HttpRequestException($"Slack {method} failed: {error}{(detail is null ? "" : $" ({detail})")}")
{
    public string Method { get; } = method;

    /// <summary>Slack's <c>error</c> code, e.g. <c>channel_not_found</c>, or <c>ratelimited</c> when retries ran out.</summary>
    public string Error { get; } = error;
}
