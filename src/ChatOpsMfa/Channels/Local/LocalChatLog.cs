using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Channels.Local;

// Never log message text, card data or tokens here: ids and exception types only.
internal static partial class LocalChatLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Error,
        Message = "The inbound handler failed for activity {ActivityId} in local conversation {ConversationId}")]
    public static partial void InboundHandlerFailed(ILogger logger, string conversationId, string activityId, Exception exception);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Error,
        Message = "No IInboundHandler is registered; local conversation {ConversationId} gets an apology instead of an answer")]
    public static partial void NoInboundHandler(ILogger logger, string conversationId);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning,
        Message = "Message {MessageId} is no longer in local conversation {ConversationId}; the update is posted as a new message")]
    public static partial void UpdateTargetMissing(ILogger logger, string conversationId, string messageId);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning,
        Message = "Refused a local chat request to {Path} from {RemoteAddress} for host {RequestHost}: local chat answers this machine only")]
    public static partial void NonLoopbackRefused(ILogger logger, string path, string remoteAddress, string requestHost);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning,
        Message = "Refused a local chat request to {Path} that carries the proxy header {Header}: local chat is never served through a proxy")]
    public static partial void ProxiedRefused(ILogger logger, string path, string header);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Critical,
        Message = "The local chat is on but the server listens on {Address}, which is not a loopback address; stopping")]
    public static partial void NonLoopbackBinding(ILogger logger, string address);
}
