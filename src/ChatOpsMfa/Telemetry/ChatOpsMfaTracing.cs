using System.Diagnostics;

namespace ChatOpsMfa.Telemetry;

/// <summary>The bot's own trace spans: a request's Okta work and its step-up polls, so their log lines carry a trace id.</summary>
public static class ChatOpsMfaTracing
{
    public const string SourceName = "ChatOpsMfa";

    public static readonly ActivitySource Source = new(SourceName);
}
