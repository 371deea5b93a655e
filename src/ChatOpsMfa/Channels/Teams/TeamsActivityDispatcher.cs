using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels.Teams.Connector;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Hands an authenticated Teams activity to the bot and turns the bot's answer into Teams' terms: messages get 200,
/// <c>adaptiveCard/action</c> invokes get an invoke response with the refreshed card or a message, and other invokes
/// get 501 as the Bot Framework SDK answers them. Before anything else the activity's tenant must be one the bot
/// serves and its serviceUrl a trusted host: otherwise 403, and not one Connector call.
/// </summary>
internal sealed partial class TeamsActivityDispatcher(
    TeamsChatChannel channel,
    TeamsDirectory directory,
    TeamsUserResolver users,
    TeamsRoster roster,
    TeamsCardView cards,
    TrustedServiceUrls trustedServiceUrls,
    ApprovalPolicy policy,
    RequestStore requests,
    IOptions<TeamsOptions> options,
    IServiceProvider services,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<TeamsActivityDispatcher> logger)
{
    public const string AdaptiveCardAction = "adaptiveCard/action";
    public const string ApologyText = "Sorry, something went wrong while handling that. Please try again in a moment.";

    /// <summary>
    /// A click is answered by then in any case (Teams gives up after a few seconds), with the card as stored. The core
    /// answers a decision as soon as it is saved, but a refusal or a form error is still posted to the chat on the
    /// click's path, and Okta (group approvers) is asked before deciding: neither may make the click fail.
    /// </summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(4);

    public const string UnknownPersonText =
        "I could not confirm your Teams account with Microsoft just now, so I did nothing. Please try again in a moment.";

    public async Task<TeamsReply> DispatchAsync(TeamsInboundActivity activity)
    {
        if (activity.ChannelId != TeamsChatChannel.TeamsChannelId)
        {
            LogOtherChannel(logger, activity.ChannelId ?? "(none)");
            return TeamsReply.Ok;
        }

        // The tenant first: another organisation's Teams talking to this bot gets nothing, not even a lookup.
        if (activity.TenantId is not { } tenantId || activity.TenantsDisagree || !options.Value.ServesTenant(tenantId))
        {
            LogOtherTenant(logger, LogSafe(activity.TenantId ?? "(none)"));
            return new TeamsReply(StatusCodes.Status403Forbidden);
        }

        if (!Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUrl)
            || activity.FromId is null || activity.ConversationId is null)
        {
            return new TeamsReply(StatusCodes.Status400BadRequest);
        }

        // The bot could not answer there (the Connector client refuses untrusted hosts), so do nothing at all.
        if (!trustedServiceUrls.IsTrusted(serviceUrl))
        {
            LogUntrustedServiceUrl(logger, LogSafe(serviceUrl.IdnHost));
            return new TeamsReply(StatusCodes.Status403Forbidden);
        }

        // Cancel only when the host stops: Teams dropping the connection must not cut an approval in half.
        var cancellationToken = lifetime.ApplicationStopping;
        await directory.RememberServiceUrlAsync(tenantId, activity.ConversationId, serviceUrl, cancellationToken);
        if (roster.IsSupportTeamChange(activity))
        {
            roster.SyncSoon();
            return TeamsReply.Ok;
        }

        var isMessage = activity.Type == "message";
        var isInvoke = activity.Type == "invoke";
        if (!isMessage && !isInvoke)
        {
            return TeamsReply.Ok; // conversationUpdate elsewhere, installationUpdate, messageReaction, typing: nothing to do.
        }

        if (isInvoke && activity.Name != AdaptiveCardAction)
        {
            return new TeamsReply(StatusCodes.Status501NotImplemented);
        }

        var conversation = new ConversationRef(TeamsChatChannel.TeamsChannelId, activity.ConversationId, activity.IsGroup, tenantId);
        return isInvoke
            ? await InvokeAsync(activity, conversation, serviceUrl, cancellationToken)
            : await MessageAsync(activity, conversation, serviceUrl, cancellationToken);
    }

    private async Task<TeamsReply> MessageAsync(
        TeamsInboundActivity activity, ConversationRef conversation, Uri serviceUrl, CancellationToken cancellationToken)
    {
        var user = await users.ResolveAsync(activity, conversation.TenantId!, serviceUrl, cancellationToken);
        if (user is null)
        {
            LogUnknownPerson(logger, LogSafe(activity.FromId!));
            await channel.PostAsync(conversation, new ChatMessage(UnknownPersonText), cancellationToken);
            return TeamsReply.Ok;
        }

        var mentions = await users.ResolveMentionsAsync(activity, conversation.TenantId!, serviceUrl, cancellationToken);
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
            LogHandlerFailed(logger, activity.Type, LogSafe(activity.Id ?? ""), error);
            await channel.PostAsync(conversation, new ChatMessage(ApologyText), cancellationToken);
        }

        return TeamsReply.Ok;
    }

    /// <summary>
    /// A card click. The core stores the decision with the chat messages it owes and answers at once (the outbox
    /// delivers them in the background), so the answer is the card as the click left it. Should the click's work
    /// still be running after <see cref="AnswerWithin"/>, the card as stored is the answer and the rest follows.
    /// </summary>
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
                TeamsInvokeResponse.Error(400, "NotSupported", $"The action '{LogSafe(type)}' is not supported."));
        }

        // Action.Execute gathers the card's inputs and merges them into its data: the code typed into the activation
        // card arrives as action.data.passCode beside the verb and requestId, and goes to the core as it came.
        var data = action["data"] is JsonObject given ? given.DeepClone().AsObject() : new JsonObject();
        if (action["verb"] is JsonValue verb && verb.TryGetValue<string>(out var verbText))
        {
            data["verb"] = verbText;
        }

        var user = await users.ResolveAsync(activity, conversation.TenantId!, serviceUrl, cancellationToken);
        if (user is null)
        {
            LogUnknownPerson(logger, LogSafe(activity.FromId!));
            return new TeamsReply(StatusCodes.Status200OK, TeamsInvokeResponse.Message(UnknownPersonText));
        }

        if (data["verb"]?.ToString() == TeamsCardView.RefreshVerb)
        {
            return await RefreshAsync(data, user, cancellationToken);
        }

        var work = Task.Run(() => HandleClickAsync(activity, conversation, user, data, cancellationToken), CancellationToken.None);
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var first = await Task.WhenAny(work, Task.Delay(AnswerWithin, time, deadline.Token));
            await deadline.CancelAsync();
            _ = FollowUpAsync(work, conversation, user, cancellationToken);
            if (first == work)
            {
                return (await work).Reply;
            }
        }

        LogSlowClick(logger, AnswerWithin);
        return await CardAsItStandsAsync(data, conversation, user, cancellationToken);
    }

    private async Task<ClickOutcome> HandleClickAsync(
        TeamsInboundActivity activity, ConversationRef conversation, ChatUser user, JsonObject data, CancellationToken cancellationToken)
    {
        try
        {
            var message = new InboundMessage(conversation, user, null, data, activity.Id ?? "", activity.ReplyToId);
            var result = await Handler().HandleAsync(channel, message, cancellationToken);
            var isApprover = result.RefreshedCard?.Card is not null && (await policy.ActorForAsync(user, cancellationToken)).IsAuthorisedApprover;
            var reply = new TeamsReply(StatusCodes.Status200OK, result switch
            {
                { RefreshedCard.Card: { } card } => TeamsInvokeResponse.Card(await cards.CardAsync(card, isApprover, cancellationToken)),
                { Notice: { } notice } => TeamsInvokeResponse.Message(notice),
                { RefreshedCard: { } text } => TeamsInvokeResponse.Message(text.Text),
                _ => TeamsInvokeResponse.Message("Got it."),
            });

            // An invoke response holds one thing. The card as it now stands wins (a stale card invites another wrong
            // click), and the notice goes to the clicker privately: their 1:1 chat with the bot.
            return new ClickOutcome(reply, result is { Notice: { } aside, RefreshedCard.Card: not null } ? aside : null);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(logger, activity.Type, LogSafe(activity.Id ?? ""), error);
            return new ClickOutcome(new TeamsReply(StatusCodes.Status500InternalServerError,
                TeamsInvokeResponse.Error(500, "InternalServerError", ApologyText)), null);
        }
    }

    /// <summary>What the click still owes once it is answered: the private notice, if any.</summary>
    private async Task FollowUpAsync(Task<ClickOutcome> work, ConversationRef conversation, ChatUser user, CancellationToken cancellationToken)
    {
        try
        {
            if ((await work).Aside is { } aside)
            {
                await channel.PostEphemeralAsync(conversation, user, new ChatMessage(aside), cancellationToken);
            }
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            LogFollowUpFailed(logger, error);
        }
    }

    /// <summary>The clicked card as the stored request now has it, as the core's handler would have answered.</summary>
    private async Task<TeamsReply> CardAsItStandsAsync(JsonObject data, ConversationRef conversation, ChatUser user, CancellationToken cancellationToken)
    {
        var request = await FindRequestAsync(data, cancellationToken);
        var message = request is null ? null
            : conversation.IsGroup ? RequestPresenter.ApprovalMessage(request)
            : IsManagerClick(data) ? RequestPresenter.ManagerMessage(request)
            : IsActivationClick(data)
                ? RequestPresenter.ActivationMessage(request, services.GetRequiredService<IOptionsMonitor<ActivationOptions>>().CurrentValue.MaxResends)
                  ?? RequestPresenter.StatusMessage(request)
            : RequestPresenter.StatusMessage(request);
        if (message?.Card is not { } card)
        {
            return new TeamsReply(StatusCodes.Status200OK, TeamsInvokeResponse.Message(message?.Text ?? "Got it."));
        }

        var isApprover = (await policy.ActorForAsync(user, cancellationToken)).IsAuthorisedApprover;
        return new TeamsReply(StatusCodes.Status200OK, TeamsInvokeResponse.Card(await cards.CardAsync(card, isApprover, cancellationToken)));
    }

    /// <summary>An approver's client fetches the approval card with its buttons; everyone else gets it without.</summary>
    private async Task<TeamsReply> RefreshAsync(JsonObject data, ChatUser user, CancellationToken cancellationToken)
    {
        var request = await FindRequestAsync(data, cancellationToken);
        if (request is null)
        {
            return new TeamsReply(StatusCodes.Status200OK, TeamsInvokeResponse.Message("That request no longer exists."));
        }

        var card = RequestPresenter.ApprovalMessage(request).Card!;
        var isApprover = (await policy.ActorForAsync(user, cancellationToken)).IsAuthorisedApprover;
        return new TeamsReply(StatusCodes.Status200OK, TeamsInvokeResponse.Card(await cards.CardAsync(card, isApprover, cancellationToken)));
    }

    /// <summary>A click on the owner's activation card: the code typed (merged into the data by Teams) or a new code.</summary>
    private static bool IsActivationClick(JsonObject data) =>
        data["verb"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
        && data["verb"]!.GetValue<string>() is CardVerbs.Activate or CardVerbs.ResendCode;

    /// <summary>A click on the manager's confirmation card, in their 1:1 chat: they see that card again, not the requester's.</summary>
    private static bool IsManagerClick(JsonObject data) =>
        data["verb"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
        && data["verb"]!.GetValue<string>() is CardVerbs.ConfirmManager or CardVerbs.ReportManager;

    private async Task<ResetRequest?> FindRequestAsync(JsonObject data, CancellationToken cancellationToken) =>
        data["requestId"] is JsonValue id && id.TryGetValue<string>(out var text) && text.Length is > 0 and <= 64
            ? await requests.FindAsync(text, cancellationToken)
            : null;

    // Resolved per activity: the handler is the core's, and tests may replace it.
    private IInboundHandler Handler() => services.GetRequiredService<IInboundHandler>();

    private static string LogSafe(string text) =>
        string.Concat(text.Take(200).Select(c => char.IsControl(c) ? '?' : c));

    private sealed record ClickOutcome(TeamsReply Reply, string? Aside);

    [LoggerMessage(EventId = 4440, Level = LogLevel.Information, Message = "Ignored an activity from channel {ChannelId}: this endpoint serves msteams")]
    private static partial void LogOtherChannel(ILogger logger, string channelId);

    [LoggerMessage(EventId = 4442, Level = LogLevel.Warning, Message = "Refused an activity whose serviceUrl host '{Host}' is not trusted")]
    private static partial void LogUntrustedServiceUrl(ILogger logger, string host);

    [LoggerMessage(EventId = 4443, Level = LogLevel.Warning, Message = "Refused an activity from tenant '{TenantId}': this bot does not serve it")]
    private static partial void LogOtherTenant(ILogger logger, string tenantId);

    [LoggerMessage(EventId = 4444, Level = LogLevel.Warning, Message = "Teams member {MemberId} could not be identified through the Connector; nothing was decided")]
    private static partial void LogUnknownPerson(ILogger logger, string memberId);

    [LoggerMessage(EventId = 4445, Level = LogLevel.Error, Message = "Could not finish what a Teams card click owed after it was answered")]
    private static partial void LogFollowUpFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 4446, Level = LogLevel.Warning,
        Message = "A Teams card click was still being handled after {Wait}; answered with the card as stored, the rest follows")]
    private static partial void LogSlowClick(ILogger logger, TimeSpan wait);

    [LoggerMessage(EventId = 4441, Level = LogLevel.Error, Message = "The bot failed on Teams {Type} activity {ActivityId}")]
    private static partial void LogHandlerFailed(ILogger logger, string type, string activityId, Exception error);
}
