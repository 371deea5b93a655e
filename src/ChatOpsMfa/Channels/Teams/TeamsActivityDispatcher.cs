using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Teams.Connector;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Hands an authenticated Teams activity to the bot and turns the bot's answer into Teams' terms: messages get 200,
/// <c>adaptiveCard/action</c> invokes get an invoke response with the refreshed card or a message, and other invokes
/// get 501 as the Bot Framework SDK answers them.
/// </summary>
internal sealed partial class TeamsActivityDispatcher(
    TeamsChatChannel channel,
    TeamsDirectory directory,
    TeamsUserResolver users,
    TeamsCardView cards,
    TrustedServiceUrls trustedServiceUrls,
    ApprovalPolicy policy,
    RequestStore requests,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<TeamsActivityDispatcher> logger)
{
    public const string AdaptiveCardAction = "adaptiveCard/action";
    public const string ApologyText = "Sorry, something went wrong while handling that. Please try again in a moment.";

    public async Task<TeamsReply> DispatchAsync(TeamsInboundActivity activity)
    {
        if (activity.ChannelId != TeamsChatChannel.TeamsChannelId)
        {
            LogOtherChannel(logger, activity.ChannelId ?? "(none)");
            return TeamsReply.Ok;
        }

        var isMessage = activity.Type == "message";
        var isInvoke = activity.Type == "invoke";
        if (!isMessage && !isInvoke)
        {
            return TeamsReply.Ok; // conversationUpdate, installationUpdate, messageReaction, typing: nothing to do.
        }

        if (isInvoke && activity.Name != AdaptiveCardAction)
        {
            return new TeamsReply(StatusCodes.Status501NotImplemented);
        }

        if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl)
            || activity.FromId is null || activity.ConversationId is null)
        {
            return new TeamsReply(StatusCodes.Status400BadRequest);
        }

        // The bot could not answer there (the Connector client refuses untrusted hosts), so do nothing at all.
        if (!trustedServiceUrls.IsTrusted(serviceUrl))
        {
            LogUntrustedServiceUrl(logger, serviceUrl.IdnHost);
            return new TeamsReply(StatusCodes.Status403Forbidden);
        }

        // Cancel only when the host stops: Teams dropping the connection must not cut an approval in half.
        var cancellationToken = lifetime.ApplicationStopping;
        directory.RememberServiceUrl(activity.ConversationId, activity.TenantId, serviceUrl);
        var conversation = new ConversationRef(TeamsChatChannel.TeamsChannelId, activity.ConversationId, activity.IsGroup, activity.TenantId);
        if (isInvoke)
        {
            return await InvokeAsync(activity, conversation, serviceUrl, cancellationToken);
        }

        var user = await users.ResolveAsync(activity, serviceUrl, cancellationToken);
        var mentions = await users.ResolveMentionsAsync(activity, serviceUrl, cancellationToken);
        var message = new InboundMessage(
            conversation, user, activity.Text, activity.Value as JsonObject, activity.Id ?? "", activity.ReplyToId, mentions);
        try
        {
            var result = await Handler().HandleAsync(channel, message, cancellationToken);
            if (result.Notice is { } notice)
            {
                await channel.PostEphemeralAsync(conversation, user, new ChatMessage(notice), cancellationToken);
            }
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(logger, activity.Type, activity.Id ?? "", error);
            await channel.PostAsync(conversation, new ChatMessage(ApologyText), cancellationToken);
        }

        return TeamsReply.Ok;
    }

    private async Task<TeamsReply> InvokeAsync(
        TeamsInboundActivity activity, ConversationRef conversation, Uri serviceUrl, CancellationToken cancellationToken)
    {
        // The same answers the SDK gives a malformed Universal Action.
        if (activity.Value is not JsonObject value)
        {
            return new TeamsReply(StatusCodes.Status400BadRequest, TeamsInvokeResponse.Error(400, "BadRequest", "Missing value property"));
        }

        if (value["action"] is not JsonObject action || action["type"]?.ToString() != "Action.Execute")
        {
            var type = (value["action"] as JsonObject)?["type"]?.ToString() ?? "(none)";
            return new TeamsReply(StatusCodes.Status400BadRequest,
                TeamsInvokeResponse.Error(400, "NotSupported", $"The action '{type}' is not supported."));
        }

        var data = action["data"] is JsonObject given ? given.DeepClone().AsObject() : new JsonObject();
        if (action["verb"] is JsonValue verb && verb.TryGetValue<string>(out var verbText))
        {
            data["verb"] = verbText;
        }

        var user = await users.ResolveAsync(activity, serviceUrl, cancellationToken);
        try
        {
            if (data["verb"]?.ToString() == TeamsCardView.RefreshVerb)
            {
                return await RefreshAsync(data, user, cancellationToken);
            }

            var message = new InboundMessage(conversation, user, null, data, activity.Id ?? "", activity.ReplyToId);
            var result = await Handler().HandleAsync(channel, message, cancellationToken);
            var isApprover = result.RefreshedCard?.Card is not null && (await policy.ActorForAsync(user, cancellationToken)).IsAuthorisedApprover;
            if (result is { Notice: { } aside, RefreshedCard.Card: not null })
            {
                // An invoke response holds one thing. The card as it now stands wins (a stale card invites another
                // wrong click), and the notice goes to the clicker privately: their 1:1 chat with the bot.
                await channel.PostEphemeralAsync(conversation, user, new ChatMessage(aside), cancellationToken);
            }

            return new TeamsReply(StatusCodes.Status200OK, result switch
            {
                { RefreshedCard.Card: { } card } => TeamsInvokeResponse.Card(cards.Card(card, isApprover)),
                { Notice: { } notice } => TeamsInvokeResponse.Message(notice),
                { RefreshedCard: { } text } => TeamsInvokeResponse.Message(text.Text),
                _ => TeamsInvokeResponse.Message("Got it."),
            });
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(logger, activity.Type, activity.Id ?? "", error);
            return new TeamsReply(StatusCodes.Status500InternalServerError,
                TeamsInvokeResponse.Error(500, "InternalServerError", ApologyText));
        }
    }

    /// <summary>An approver's client fetches the approval card with its buttons; everyone else gets it without.</summary>
    private async Task<TeamsReply> RefreshAsync(JsonObject data, ChatUser user, CancellationToken cancellationToken)
    {
        var requestId = data["requestId"] is JsonValue id && id.TryGetValue<string>(out var text) && text.Length is > 0 and <= 64 ? text : null;
        var request = requestId is null ? null : await requests.FindAsync(requestId, cancellationToken);
        if (request is null)
        {
            return new TeamsReply(StatusCodes.Status200OK, TeamsInvokeResponse.Message("That request no longer exists."));
        }

        var card = RequestPresenter.ApprovalMessage(request).Card!;
        var isApprover = (await policy.ActorForAsync(user, cancellationToken)).IsAuthorisedApprover;
        return new TeamsReply(StatusCodes.Status200OK, TeamsInvokeResponse.Card(cards.Card(card, isApprover)));
    }

    // Resolved per activity: the handler is the core's, and tests may replace it.
    private IInboundHandler Handler() => services.GetRequiredService<IInboundHandler>();

    [LoggerMessage(EventId = 4440, Level = LogLevel.Information, Message = "Ignored an activity from channel {ChannelId}: this endpoint serves msteams")]
    private static partial void LogOtherChannel(ILogger logger, string channelId);

    [LoggerMessage(EventId = 4442, Level = LogLevel.Warning, Message = "Refused an activity whose serviceUrl host '{Host}' is not trusted")]
    private static partial void LogUntrustedServiceUrl(ILogger logger, string host);

    [LoggerMessage(EventId = 4441, Level = LogLevel.Error, Message = "The bot failed on Teams {Type} activity {ActivityId}")]
    private static partial void LogHandlerFailed(ILogger logger, string type, string activityId, Exception error);
}
