using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Brings the chat in line with a request: the approval card and the requester's status card show the current
/// state, and each transition becomes a reply in the approval card's thread.
/// </summary>
public sealed partial class RequestNotifier(ChannelRegistry channels, ILogger<RequestNotifier> logger)
{
    /// <summary>
    /// Posts or updates both cards and threads the transitions. Returns the message references that were created,
    /// so the caller can store them with the request.
    /// </summary>
    public async Task<PostedCards> PublishAsync(
        ResetRequest request, IReadOnlyList<RequestTransition> transitions, CancellationToken cancellationToken)
    {
        var channel = ChannelFor(request);
        if (channel is null)
        {
            return new PostedCards(null, null);
        }

        var approval = await ShowAsync(channel, request.ApprovalMessage, channel.SupportConversation,
            RequestPresenter.ApprovalMessage(request), request, "approval card", cancellationToken);
        if (approval is not null)
        {
            foreach (var transition in transitions)
            {
                await SendAsync(request, "thread reply", () => channel.ReplyInThreadAsync(
                    approval, new ChatMessage(RequestPresenter.ThreadLine(request, transition)), cancellationToken));
            }
        }

        var status = await ShowAsync(channel, request.StatusMessage, request.RequesterConversation,
            RequestPresenter.StatusMessage(request), request, "status card", cancellationToken);
        return new PostedCards(
            request.ApprovalMessage is null ? approval : null,
            request.StatusMessage is null ? status : null);
    }

    /// <summary>Sends the requester their private result (with activation secrets) in their 1:1 chat.</summary>
    public async Task SendResultAsync(ResetRequest request, EnrollmentActivation activation, CancellationToken cancellationToken)
    {
        var channel = ChannelFor(request);
        if (channel is null)
        {
            return;
        }

        var conversation = request.RequesterConversation.IsGroup
            ? await channel.OpenDirectAsync(request.Requester, cancellationToken)
            : request.RequesterConversation;
        await SendAsync(request, "private result",
            () => channel.PostAsync(conversation, RequestPresenter.ResultMessage(request, activation), cancellationToken));
    }

    private IChatChannel? ChannelFor(ResetRequest request)
    {
        var channel = channels.Find(request.RequesterConversation.ChannelId);
        if (channel is null)
        {
            LogNoChannel(request.Number, request.RequesterConversation.ChannelId);
        }

        return channel;
    }

    private async Task<MessageRef?> ShowAsync(
        IChatChannel channel, MessageRef? posted, ConversationRef conversation, ChatMessage message, ResetRequest request, string what,
        CancellationToken cancellationToken)
    {
        if (posted is not null)
        {
            await SendAsync(request, what, () => channel.UpdateAsync(posted, message, cancellationToken));
            return posted;
        }

        return await SendAsync(request, what, () => channel.PostAsync(conversation, message, cancellationToken));
    }

    private async Task<T?> SendAsync<T>(ResetRequest request, string what, Func<Task<T>> send)
        where T : class
    {
        try
        {
            return await send();
        }
        catch (Exception error) when (error is HttpRequestException or InvalidOperationException or IOException)
        {
            // The request's state is already saved; a lost chat message must not undo or block it.
            LogSendFailed(request.Number, what, error.GetType().Name);
            return null;
        }
    }

    private async Task SendAsync(ResetRequest request, string what, Func<Task> send) =>
        await SendAsync<object>(request, what, async () =>
        {
            await send();
            return new object();
        });

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Number}: no chat channel '{ChannelId}' is configured to show it")]
    private partial void LogNoChannel(long number, string channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Number}: sending the {What} failed ({Error})")]
    private partial void LogSendFailed(long number, string what, string error);
}
