using System.Net;

namespace ChatOpsMfa.Channels.Teams.Connector;

/// <summary>
/// A Connector call that did not succeed, with the Connector's own error code (e.g. <c>MessageWritesBlocked</c>).
/// It is an <see cref="HttpRequestException"/> so the core's notifier records it as a failed send.
/// </summary>
public sealed class ConnectorCallException(string operation, HttpStatusCode? status, string? errorCode, string message)
    : HttpRequestException(message, null, status)
{
    public string Operation { get; } = operation;

    public string? ErrorCode { get; } = errorCode;

    /// <summary>The user blocked the bot or uninstalled it: retrying will not help.</summary>
    public bool IsBlockedByUser => StatusCode == HttpStatusCode.Forbidden
        && ErrorCode is "MessageWritesBlocked" or "ConversationBlockedByUser";
}
