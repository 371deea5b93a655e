namespace ChatOpsMfa.Channels.Slack.SocketMode;

/// <summary>How a Socket Mode connection ended, which decides how soon the next one is opened.</summary>
internal enum SlackSocketEnd
{
    /// <summary>Closed, failed, or silent past the ping timeout: reconnect after the doubling backoff.</summary>
    Dropped,

    /// <summary>Slack asked (<c>refresh_requested</c>, <c>too_many_websockets</c>, …): reconnect at once.</summary>
    DisconnectRequested,

    /// <summary>Slack disabled the link (Socket Mode turned off for the app): back off for the longest delay.</summary>
    LinkDisabled,
}
