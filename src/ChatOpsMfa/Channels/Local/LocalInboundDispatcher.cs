using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Channels.Local;

/// <summary>
/// Hands a user's message to the bot's <see cref="IInboundHandler"/>. A failure becomes a polite bot message in the
/// conversation, never a 500 to Web Chat (which would mark the user's message as not sent).
/// </summary>
internal sealed class LocalInboundDispatcher(
    LocalChatChannel channel,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<LocalInboundDispatcher> logger)
{
    public const string ApologyText = "Sorry, something went wrong while handling your message. Please try again in a moment.";

    /// <summary>
    /// Runs the handler to completion. It is cancelled only when the host stops, not when the browser's request is
    /// aborted: a user reloading the page must not cut an approval in half.
    /// </summary>
    public async Task DispatchAsync(InboundMessage message)
    {
        var cancellationToken = lifetime.ApplicationStopping;
        var handler = services.GetService<IInboundHandler>();
        if (handler is null)
        {
            LocalChatLog.NoInboundHandler(logger, message.Conversation.ConversationId);
            await channel.PostAsync(message.Conversation, new ChatMessage(ApologyText), cancellationToken);
            return;
        }

        try
        {
            var result = await handler.HandleAsync(channel, message, cancellationToken);
            if (result.Notice is { } notice)
            {
                await channel.PostEphemeralAsync(message.Conversation, message.From, new ChatMessage(notice), cancellationToken);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LocalChatLog.InboundHandlerFailed(logger, message.Conversation.ConversationId, message.ActivityId, exception);
            await channel.PostAsync(message.Conversation, new ChatMessage(ApologyText), cancellationToken);
        }
    }
}
