using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels.Slack.WebApi;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// The channel the bot sees while it answers one slash command. A slash command has no message to reply under and its
/// answers are the invoker's alone, so what the bot posts to the command's conversation is shown the Slack way: in the
/// placeholder modal already open for the invoker (<paramref name="modalViewId"/>), filled with <c>views.update</c>
/// (the request form, or the notice); without one, the form opens as a modal and anything else is an ephemeral message
/// for the invoker (or a DM, when the bot may not post in that conversation). Everything else goes to the real channel.
/// </summary>
internal sealed class SlackCommandReplies(
    SlackChatChannel slack, ConversationRef commandConversation, ChatUser invoker, string triggerId, string? modalViewId = null)
    : IChatChannel
{
    public string ChannelId => slack.ChannelId;

    public ConversationRef SupportConversation => slack.SupportConversation;

    public async Task<MessageRef> PostAsync(ConversationRef conversation, ChatMessage message, CancellationToken cancellationToken)
    {
        if (conversation != commandConversation)
        {
            return await slack.PostAsync(conversation, message, cancellationToken);
        }

        if (message.Card is { Template: RequestFormCard.TemplateName } form)
        {
            if (modalViewId is not null)
            {
                await slack.UpdateModalAsync(modalViewId, form, message.Text, cancellationToken);
                return new MessageRef(conversation, modalViewId);
            }

            var viewId = await slack.OpenRequestModalAsync(triggerId, form, message.Text, cancellationToken);
            return new MessageRef(conversation, viewId);
        }

        await SayPrivatelyAsync(message, cancellationToken);
        return new MessageRef(conversation, "ephemeral");
    }

    public Task<MessageRef> ReplyInThreadAsync(MessageRef root, ChatMessage message, CancellationToken cancellationToken) =>
        slack.ReplyInThreadAsync(root, message, cancellationToken);

    public Task UpdateAsync(MessageRef posted, ChatMessage message, CancellationToken cancellationToken) =>
        slack.UpdateAsync(posted, message, cancellationToken);

    public Task PostEphemeralAsync(ConversationRef conversation, ChatUser user, ChatMessage message, CancellationToken cancellationToken) =>
        conversation == commandConversation && user.Id == invoker.Id
            ? SayPrivatelyAsync(message, cancellationToken)
            : slack.PostEphemeralAsync(conversation, user, message, cancellationToken);

    public Task<ConversationRef> OpenDirectAsync(ChatUser user, CancellationToken cancellationToken) =>
        slack.OpenDirectAsync(user, cancellationToken);

    public Task<ChatUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken) =>
        slack.FindUserByEmailAsync(email, cancellationToken);

    private async Task SayPrivatelyAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        if (modalViewId is not null)
        {
            // The invoker is looking at the placeholder: the answer belongs there, not in a message behind it.
            await slack.UpdateModalAsync(modalViewId, message.Text, cancellationToken);
            return;
        }

        try
        {
            await slack.PostEphemeralAsync(commandConversation, invoker, message, cancellationToken);
        }
        catch (Exception error) when (SlackDeliveryErrors.ErrorOf(error) is "channel_not_found" or "not_in_channel" or "user_not_in_channel")
        {
            // A command typed in a conversation the bot is not in (another person's DM, a private channel): the
            // invoker gets the answer in their DM with the bot instead.
            await slack.PostAsync(await slack.OpenDirectAsync(invoker, cancellationToken), message, cancellationToken);
        }
    }
}
