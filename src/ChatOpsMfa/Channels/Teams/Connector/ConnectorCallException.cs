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

    /// <summary>
    /// Teams' documented answers that the same message can never be delivered: the user blocked the bot, the bot
    /// is not (any more) in the team or chat, the tenant's admin disabled it, the conversation is gone, or the
    /// message is too big. The outbox records these and moves on instead of trying again.
    /// </summary>
    public bool IsPermanent => IsBlockedByUser
        || (StatusCode == HttpStatusCode.Forbidden && ErrorCode is "BotNotInConversationRoster" or "BotDisabledByAdmin")
        || (StatusCode == HttpStatusCode.NotFound && ErrorCode is "ConversationNotFound")
        || (StatusCode == HttpStatusCode.RequestEntityTooLarge && ErrorCode is "MessageSizeTooBig");
}
