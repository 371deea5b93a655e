namespace ChatOpsMfa.Channels.Slack.WebApi;

/// <summary>
/// Slack errors that no retry can fix (docs.slack.dev, chat.postMessage and chat.update error tables): the channel is
/// gone or archived, the bot is not in it, the workspace or token's account is inactive, or Slack refuses the blocks.
/// They become a permanent <see cref="ChatDeliveryException"/>, so the outbox records the failure and moves on.
/// <c>conversations.open</c> adds its own (its error table): the person does not exist, is deactivated, or may not be
/// seen by the bot, so no DM with them can ever be opened (a manager's card then blocks the request, with the reason).
/// </summary>
internal static class SlackDeliveryErrors
{
    public static bool IsPermanent(string error) =>
        error is "channel_not_found" or "is_archived" or "not_in_channel" or "account_inactive" or "invalid_blocks" or
            "user_not_found" or "user_disabled" or "user_not_visible" or
            SlackUploadHost.Refused; // an upload URL off Slack's host: sending again would only be refused again

    /// <summary>Runs one delivery call; a permanent Slack error comes out as a permanent delivery failure.</summary>
    public static async Task<T> DeliverAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (SlackApiException error) when (IsPermanent(error.Error))
        {
            // The message names the method and Slack's error code, never the arguments or the token.
            throw new ChatDeliveryException(error.Message, permanent: true, error);
        }
    }

    /// <summary>The Slack error behind a delivery failure, permanent or not.</summary>
    public static string? ErrorOf(Exception error) => error switch
    {
        SlackApiException slack => slack.Error,
        ChatDeliveryException { InnerException: SlackApiException slack } => slack.Error,
        _ => null,
    };
}
