using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Shows a request in the chat: the approval card in the support channel, the requester's status card, the lines in
/// the approval card's thread, and the private result. Each call either succeeds or throws, so the outbox knows
/// whether to try again.
/// </summary>
public sealed class RequestNotifier(ChannelRegistry channels)
{
    /// <summary>Posts the approval card, or updates it in place. Returns the reference when it was posted just now.</summary>
    public Task<MessageRef?> ShowApprovalAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        var channel = ChannelFor(request);
        return ShowAsync(channel, request.ApprovalMessage, channel.SupportConversation, RequestPresenter.ApprovalMessage(request), cancellationToken);
    }

    /// <summary>Posts the requester's status card, or updates it in place. Returns the reference when it was posted just now.</summary>
    public Task<MessageRef?> ShowStatusAsync(ResetRequest request, CancellationToken cancellationToken) =>
        ShowAsync(ChannelFor(request), request.StatusMessage, request.RequesterConversation, RequestPresenter.StatusMessage(request), cancellationToken);

    public async Task ReplyInThreadAsync(ResetRequest request, string line, CancellationToken cancellationToken)
    {
        var root = request.ApprovalMessage
            ?? throw new InvalidOperationException($"Request {request.Number}'s approval card is not posted yet, so its thread has no root.");
        await ChannelFor(request).ReplyInThreadAsync(root, new ChatMessage(line), cancellationToken);
    }

    /// <summary>
    /// Sends the private result (with activation secrets) to the person whose MFA it is, in their 1:1 chat: the
    /// requester, or the target of a help-desk request (never the help-desk member).
    /// </summary>
    public async Task SendResultAsync(ResetRequest request, EnrollmentActivation activation, CancellationToken cancellationToken)
    {
        var channel = ChannelFor(request);
        var conversation = request.TargetChatUser is { } target ? await channel.OpenDirectAsync(target, cancellationToken)
            : request.RequesterConversation.IsGroup ? await channel.OpenDirectAsync(request.Requester, cancellationToken)
            : request.RequesterConversation;
        await channel.PostAsync(conversation, RequestPresenter.ResultMessage(request, activation), cancellationToken);
    }

    /// <summary>Tells the target of a help-desk request about it, privately, with a button to object. Returns where it went.</summary>
    public async Task<MessageRef?> ShowTargetNoticeAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (request.TargetChatUser is not { } target)
        {
            return null;
        }

        var channel = ChannelFor(request);
        var message = RequestPresenter.TargetNoticeMessage(request);
        if (request.TargetNotice is { } posted)
        {
            await channel.UpdateAsync(posted, message, cancellationToken);
            return null;
        }

        return await channel.PostAsync(await channel.OpenDirectAsync(target, cancellationToken), message, cancellationToken);
    }

    private IChatChannel ChannelFor(ResetRequest request) =>
        channels.Find(request.RequesterConversation.ChannelId)
        ?? throw new ChatDeliveryException($"No chat channel '{request.RequesterConversation.ChannelId}' is configured.", permanent: true);

    private static async Task<MessageRef?> ShowAsync(
        IChatChannel channel, MessageRef? posted, ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken)
    {
        if (posted is not null)
        {
            await channel.UpdateAsync(posted, message, cancellationToken);
            return null;
        }

        return await channel.PostAsync(conversation, message, cancellationToken);
    }
}
