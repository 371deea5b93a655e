using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels.Slack.BlockKit;
using ChatOpsMfa.Channels.Slack.WebApi;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Channels.Slack.Inbound;

/// <summary>
/// Turns Slack's slash commands, interactions and events into the core's <see cref="InboundMessage"/>s, for the HTTP
/// endpoints and Socket Mode alike. Each method only checks the payload and queues the work, then returns the
/// acknowledgement at once; the exception is a modal submission, whose field errors must be in the answer itself.
/// </summary>
public sealed partial class SlackInboundDispatcher(
    SlackChatChannel channel,
    SlackUserDirectory users,
    IInboundHandler bot,
    SlackDeliveryRecorder deliveries,
    SlackBackgroundWork work,
    SlackModalWork modals,
    SlackInstallation installation,
    ILogger<SlackInboundDispatcher> logger)
{
    public const string Command = "/mfa-reset";

    public async ValueTask<SlackAck> HandleCommandAsync(IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (Field(form, "command") is not { } command || Field(form, "user_id") is not { } userId || !SlackIds.IsUserId(userId) ||
            Field(form, "trigger_id") is not { } triggerId || Field(form, "channel_id") is null)
        {
            return SlackAck.Malformed("a slash command needs command, user_id, channel_id and trigger_id");
        }

        if (Pinning(Field(form, "team_id"), Field(form, "enterprise_id"), Field(form, "api_app_id")) is { } foreign)
        {
            return foreign;
        }

        if (!string.Equals(command, Command, StringComparison.Ordinal))
        {
            return SlackAck.Malformed($"unknown command '{command[..Math.Min(command.Length, 32)]}'");
        }

        var text = Field(form, "text");
        if (string.Equals(text, "help", StringComparison.OrdinalIgnoreCase))
        {
            return SlackAck.With(new JsonObject { ["response_type"] = "ephemeral", ["text"] = MfaResetBot.HelpText });
        }

        var key = "command:" + triggerId;

        LogCommand(userId);
        var channelId = Field(form, "channel_id")!;
        var name = Field(form, "user_name");
        var invoker = new ChatUser(userId, name ?? userId, null);
        // A slash command and its answers are seen by the invoker alone, wherever it was typed: a private exchange.
        var conversation = new ConversationRef(SlackChatChannel.Id, channelId, IsGroup: false);
        if (text is null)
        {
            return await QueueModalAsync(key, "views.open for /mfa-reset", ct =>
                OpenOrExplainAsync(conversation, invoker, "send /mfa-reset again",
                    () => channel.OpenRequestModalAsync(triggerId, MfaResetBot.FormMessage.Card!, MfaResetBot.FormMessage.Text, ct), ct), cancellationToken);
        }

        // "/mfa-reset @someone" or "/mfa-reset someone@example.com": the core decides (help desk only) and makes the
        // form with the on-behalf draft, which needs users.info and Okta: longer than the trigger id lives. So a
        // placeholder modal opens at once on the modal path, and the answer fills it (views.update) from the shared queue.
        return await QueueModalAsync(key, "placeholder modal for /mfa-reset on someone's behalf", async ct =>
        {
            var viewId = await OpenOrExplainAsync(conversation, invoker, "send /mfa-reset again", () => channel.OpenPlaceholderModalAsync(triggerId, ct), ct);
            if (viewId is null)
            {
                return;
            }

            if (!work.TryEnqueue("/mfa-reset on someone's behalf", next => OnBehalfAsync(conversation, userId, name, triggerId, text, viewId, next)))
            {
                LogQueueFull("/mfa-reset on someone's behalf");
                await channel.UpdateModalAsync(viewId, "The bot is busy right now. Please try again in a minute.", ct);
            }
        }, cancellationToken);
    }

    private async Task OnBehalfAsync(
        ConversationRef conversation, string userId, string? name, string triggerId, string text, string viewId, CancellationToken cancellationToken)
    {
        try
        {
            var user = await users.FindAsync(userId, name, cancellationToken);
            var (plain, mentionedIds) = SlackMessageText.Parse(text);
            var mentions = await MentionsAsync(mentionedIds, cancellationToken);
            var replies = new SlackCommandReplies(channel, conversation, user, triggerId, viewId);
            var message = new InboundMessage(conversation, user, $"{Command} {plain}", null, triggerId, Mentions: mentions);
            var result = await bot.HandleAsync(replies, message, cancellationToken);
            if (result.Notice is { } notice)
            {
                await replies.PostEphemeralAsync(conversation, user, new ChatMessage(notice), cancellationToken);
            }
        }
        catch (SlackApiException error)
        {
            // The person is looking at "Looking up that person…": tell them there rather than leave it spinning.
            LogModalFailed(userId, error.Error);
            await channel.UpdateModalAsync(viewId, $"That did not work (Slack said: {error.Error}). Please send the command again.", cancellationToken);
        }
    }

    /// <summary>
    /// Runs one <c>views.open</c>; when Slack refuses it the person is told privately, since Slack itself shows nothing
    /// and they would wait in vain. An expired trigger id (3 s after the command or click) is explained as such.
    /// Returns the view id, or null when the modal did not open.
    /// </summary>
    private async Task<string?> OpenOrExplainAsync(
        ConversationRef conversation, ChatUser invoker, string again, Func<Task<string>> open, CancellationToken cancellationToken)
    {
        try
        {
            return await open();
        }
        catch (SlackApiException error)
        {
            LogModalFailed(invoker.Id, error.Error);
            var why = error.Error is "expired_trigger_id" or "exchanged_trigger_id" or "ratelimited"
                ? $"Slack gives a form 3 seconds to open, and this one took longer (Slack said: {error.Error})."
                : $"I couldn't open the form (Slack said: {error.Error}).";
            await new SlackCommandReplies(channel, conversation, invoker, "").PostEphemeralAsync(conversation, invoker,
                new ChatMessage($"{why} Please {again}."), cancellationToken);
            return null;
        }
    }

    public async ValueTask<SlackAck> HandleInteractionAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        // team is null for some organisation-wide payloads; then the user's team_id and the enterprise say whose it is.
        if (Pinning(BlockText.Read(payload, "team.id") ?? BlockText.Read(payload, "user.team_id"),
                BlockText.Read(payload, "enterprise.id"), BlockText.Read(payload, "api_app_id")) is { } foreign)
        {
            return foreign;
        }

        return BlockText.Read(payload, "type") switch
        {
            "block_actions" => await HandleBlockActionAsync(payload, cancellationToken),
            "view_submission" => await HandleViewSubmissionAsync(payload, cancellationToken),
            "view_closed" => SlackAck.Ok,
            var other => Unhandled(other),
        };
    }

    public async ValueTask<SlackAck> HandleEventAsync(JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        switch (BlockText.Read(body, "type"))
        {
            case "url_verification":
                return BlockText.Read(body, "challenge") is { } challenge
                    ? SlackAck.With(new JsonObject { ["challenge"] = challenge })
                    : SlackAck.Malformed("url_verification without a challenge");
            case "event_callback":
                break;
            case var other:
                // app_rate_limited and any envelope type this bot does not handle: acknowledged with 200 and nothing
                // else, since Slack counts any other answer as a failed delivery and disables subscriptions that fail often.
                LogUnhandled(other ?? "(none)");
                return SlackAck.Ok;
        }

        if (Pinning(BlockText.Read(body, "team_id"), BlockText.Read(body, "enterprise_id"), BlockText.Read(body, "api_app_id")) is { } foreign)
        {
            return foreign;
        }

        if (BlockText.Read(body, "event_id") is not { } eventId || body["event"] is not JsonObject inner || BlockText.Read(inner, "type") is null)
        {
            return SlackAck.Malformed("an event_callback needs event_id and event.type");
        }

        var key = "event:" + eventId;

        // Only people's direct messages reach the bot; its own posts and edits (subtype, bot_id) are ignored, and so are
        // ids Slack never issues (users.info and chat.postMessage would only fail on them).
        if (BlockText.Read(inner, "type") != "message" || BlockText.Read(inner, "channel_type") != "im" ||
            inner["subtype"] is not null || inner["bot_id"] is not null ||
            BlockText.Read(inner, "user") is not { } userId || BlockText.Read(inner, "channel") is not { } channelId ||
            !SlackIds.IsUserId(userId) || !SlackIds.IsChannelId(channelId))
        {
            return SlackAck.Ok;
        }

        var (text, mentionedIds) = SlackMessageText.Parse(BlockText.Read(inner, "text"));
        var conversation = new ConversationRef(SlackChatChannel.Id, channelId, IsGroup: !SlackIds.IsDirectChannel(channelId));
        return await QueueAsync(key, "direct message", async ct =>
        {
            var user = await users.FindAsync(userId, null, ct);
            var mentions = await MentionsAsync(mentionedIds, ct);
            await DeliverAsync(new InboundMessage(conversation, user, text, null, eventId, Mentions: mentions), ct);
        }, cancellationToken);
    }

    private async ValueTask<SlackAck> HandleBlockActionAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        if (BlockText.Read(payload, "user.id") is not { } userId || !SlackIds.IsUserId(userId) ||
            payload["actions"] is not JsonArray { Count: > 0 } actions || actions[0] is not JsonObject action ||
            BlockText.Read(action, "action_id") is not { } actionId)
        {
            return SlackAck.Malformed("block_actions needs user.id and actions[0].action_id");
        }

        var actionTs = BlockText.Read(action, "action_ts") ?? BlockText.Read(payload, "trigger_id") ?? "";
        if (actionId == SlackActionIds.OpenRequestForm)
        {
            if (BlockText.Read(payload, "trigger_id") is not { } triggerId)
            {
                return SlackAck.Malformed("opening the form needs a trigger_id");
            }

            var openKey = $"action:{userId}:{actionTs}";
            var onBehalfForm = OnBehalfForm(BlockText.Read(action, "value"));

            var buttonChannel = BlockText.Read(payload, "container.channel_id") ?? BlockText.Read(payload, "channel.id") ?? "";
            var where = new ConversationRef(SlackChatChannel.Id, buttonChannel, IsGroup: false);
            var clicker = new ChatUser(userId, BlockText.Read(payload, "user.name") ?? userId, null);
            return await QueueModalAsync(openKey, "views.open from the form button", ct => OpenOrExplainAsync(where, clicker, "click the button again",
                () => onBehalfForm is null
                    ? channel.OpenRequestModalAsync(triggerId, MfaResetBot.FormMessage.Card!, MfaResetBot.FormMessage.Text, ct)
                    : channel.OpenRequestModalAsync(triggerId, onBehalfForm, MfaResetBot.FormMessage.Text, ct), ct), cancellationToken);
        }

        if (actionId == CardVerbs.EnterCode)
        {
            return await OpenCodeModalAsync(payload, action, userId, actionTs, cancellationToken);
        }

        if (actionId == "openQrCode")
        {
            return SlackAck.Ok; // A link button: Slack opens the URL itself and tells us only for the record.
        }

        if (actionId is not (CardVerbs.Approve or CardVerbs.Deny or CardVerbs.Retry or CardVerbs.Cancel or CardVerbs.Object or
            CardVerbs.Activate or CardVerbs.ResendCode or CardVerbs.SendActivationLink or CardVerbs.TextActivationLink or
            CardVerbs.ConfirmManager or CardVerbs.ReportManager))
        {
            return SlackAck.Malformed($"unknown action_id '{actionId[..Math.Min(actionId.Length, 32)]}'");
        }

        var requestId = BlockText.Read(action, "value");
        var channelId = BlockText.Read(payload, "container.channel_id") ?? BlockText.Read(payload, "channel.id");
        if (requestId is not { Length: <= 64 } || channelId is null || !SlackIds.IsChannelId(channelId))
        {
            return SlackAck.Malformed("a request button needs its value (the request id) and the channel it was clicked in");
        }

        // The manager's card is only ever posted in their DM with the bot; a Confirm or Report from anywhere else is
        // not a click on that card. (The core still checks that the clicker is the target's manager in Okta.)
        if (actionId is CardVerbs.ConfirmManager or CardVerbs.ReportManager && !SlackIds.IsDirectChannel(channelId))
        {
            return SlackAck.Malformed("the manager's Confirm and Report buttons are only clicked in their direct message with the bot");
        }

        var clickKey = $"action:{userId}:{actionTs}:{BlockText.Read(payload, "container.message_ts")}";

        var conversation = new ConversationRef(SlackChatChannel.Id, channelId, IsGroup: !SlackIds.IsDirectChannel(channelId));
        var value = new JsonObject { ["verb"] = actionId, ["requestId"] = requestId };
        var name = BlockText.Read(payload, "user.name");
        return await QueueAsync(clickKey, $"{actionId} click", async ct =>
        {
            var user = await users.FindAsync(userId, name, ct);
            await DeliverAsync(new InboundMessage(conversation, user, null, value, actionTs), ct);
        }, cancellationToken);
    }

    private async ValueTask<SlackAck> HandleViewSubmissionAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        if (BlockText.Read(payload, "user.id") is not { } userId || !SlackIds.IsUserId(userId) || payload["view"] is not JsonObject view ||
            BlockText.Read(view, "id") is not { } viewId)
        {
            return SlackAck.Malformed("view_submission needs user.id and view.id");
        }

        if (BlockText.Read(view, "callback_id") == SlackActionIds.ActivationCodeModal)
        {
            return await HandleCodeSubmissionAsync(payload, userId, viewId, view, cancellationToken);
        }

        if (BlockText.Read(view, "callback_id") != SlackActionIds.RequestModal)
        {
            return SlackAck.Malformed("view_submission for a view this bot did not open");
        }

        if (RequestModal.ReadSubmission((view["state"] as JsonObject)?["values"] as JsonObject, BlockText.Read(view, "private_metadata")) is not { } form)
        {
            return SlackAck.Malformed("view_submission without the factor type and provider selects");
        }

        // Field errors must be in this very answer; the core's own check decides them, Slack only shows them.
        var (_, problem) = RequestForm.Read(form);
        if (problem is not null)
        {
            return SlackAck.With(new JsonObject
            {
                ["response_action"] = "errors",
                ["errors"] = new JsonObject { [RequestModal.BlockFor(problem, form)] = problem.Message },
            });
        }

        // Only a valid submission closes the modal, so only then is a repeat of this view a retry.
        var viewKey = "view:" + viewId;

        var name = BlockText.Read(payload, "user.name");
        return await QueueAsync(viewKey, "request submission", async ct =>
        {
            var user = await users.FindAsync(userId, name, ct);
            // The requester's status and result belong in their DM with the bot, wherever the command was typed.
            var direct = await channel.OpenDirectAsync(user, ct);
            await DeliverAsync(new InboundMessage(direct, user, null, form, viewId), ct);
        }, cancellationToken);
    }

    /// <summary>
    /// The <c>enterCode</c> button in the person's DM: opens the code modal on the modal path (its trigger id lives 3 s),
    /// with the request id from the button's value. Only a button in a direct message opens it.
    /// </summary>
    private async ValueTask<SlackAck> OpenCodeModalAsync(JsonObject payload, JsonObject action, string userId, string actionTs, CancellationToken cancellationToken)
    {
        var requestId = BlockText.Read(action, "value");
        var channelId = BlockText.Read(payload, "container.channel_id") ?? BlockText.Read(payload, "channel.id");
        if (BlockText.Read(payload, "trigger_id") is not { } triggerId || requestId is not { Length: <= 64 } ||
            channelId is null || !SlackIds.IsChannelId(channelId) || !SlackIds.IsDirectChannel(channelId))
        {
            return SlackAck.Malformed("the code button needs a trigger_id, its request id, and the direct message it was clicked in");
        }

        var key = $"action:{userId}:{actionTs}:{BlockText.Read(payload, "container.message_ts")}";

        var where = new ConversationRef(SlackChatChannel.Id, channelId, IsGroup: false);
        var clicker = new ChatUser(userId, BlockText.Read(payload, "user.name") ?? userId, null);
        return await QueueModalAsync(key, "views.open for the activation code", ct => OpenOrExplainAsync(where, clicker, "click the button again",
            () => channel.OpenActivationCodeModalAsync(triggerId, requestId, ct), ct), cancellationToken);
    }

    /// <summary>
    /// The code modal's submission. A code that is not 6 to 8 digits is answered in the modal itself; a well-formed one
    /// closes it at once (the acknowledgement) and goes to the core from the shared queue as the <c>activate</c> verb, in
    /// the person's DM. The code is never logged: not here, not in a delivery key, not in a refusal's text.
    /// </summary>
    private async ValueTask<SlackAck> HandleCodeSubmissionAsync(JsonObject payload, string userId, string viewId, JsonObject view, CancellationToken cancellationToken)
    {
        if (BlockText.Read(view, "private_metadata") is not { Length: <= 64 } requestId)
        {
            return SlackAck.Malformed("the code modal's submission without its request id");
        }

        if (ActivationCodeModal.ReadCode((view["state"] as JsonObject)?["values"] as JsonObject) is not { } code || !ActivationCodeModal.IsWellFormed(code))
        {
            return SlackAck.With(new JsonObject
            {
                ["response_action"] = "errors",
                ["errors"] = new JsonObject { [ActivationInputs.PassCode] = "Enter the 6-digit code: digits only (some codes have up to 8)." },
            });
        }

        var key = "view:" + viewId;

        var name = BlockText.Read(payload, "user.name");
        var value = new JsonObject { ["verb"] = CardVerbs.Activate, ["requestId"] = requestId, [ActivationInputs.PassCode] = code };
        return await QueueAsync(key, "activation code", async ct =>
        {
            var user = await users.FindAsync(userId, name, ct);
            var direct = await channel.OpenDirectAsync(user, ct);
            await DeliverAsync(new InboundMessage(direct, user, null, value, viewId), ct);
        }, cancellationToken);
    }

    /// <summary>
    /// The people a message mentions, as the core needs them: with the email Slack vouches for. Bots (this one
    /// included), deactivated accounts and ids Slack does not know are left out: none of them can be a reset's target.
    /// </summary>
    private async Task<IReadOnlyList<ChatUser>> MentionsAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken)
    {
        var mentions = new List<ChatUser>();
        foreach (var id in userIds)
        {
            try
            {
                if (await users.FindAsync(id, null, cancellationToken) is { Email: not null } person)
                {
                    mentions.Add(person);
                }
            }
            catch (SlackApiException error) when (error.Error == "user_not_found")
            {
                LogUnknownMention(id);
            }
        }

        return mentions;
    }

    /// <summary>The request form to open from the form button when it carries an on-behalf draft (a JSON value).</summary>
    private static CardContent? OnBehalfForm(string? buttonValue)
    {
        if (buttonValue is null || !buttonValue.StartsWith('{'))
        {
            return null;
        }

        JsonObject? onBehalfOf;
        try
        {
            onBehalfOf = JsonNode.Parse(buttonValue) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // a forged value opens the ordinary form
        }

        if (onBehalfOf is null || BlockText.Read(onBehalfOf, "draft") is not { Length: <= 64 } draft)
        {
            return null;
        }

        var form = RequestFormCard.Create(Okta.FactorCatalog.Offered);
        form.Data["onBehalfOf"] = new JsonObject { ["draft"] = draft, ["name"] = BlockText.Read(onBehalfOf, "name") ?? "" };
        return form;
    }

    private async Task DeliverAsync(InboundMessage message, CancellationToken cancellationToken)
    {
        var result = await bot.HandleAsync(channel, message, cancellationToken);
        if (result.Notice is { } notice)
        {
            await channel.PostEphemeralAsync(message.Conversation, message.From, new ChatMessage(notice), cancellationToken);
        }
    }

    /// <summary>
    /// Acknowledges at once and does the work from the shared queue, Bolt's way. The work begins by recording the
    /// delivery in the database, so a retry (to this instance or another) does nothing; when the queue is full nothing
    /// was recorded, and Slack's retry is processed.
    /// </summary>
    private async ValueTask<SlackAck> QueueAsync(string deliveryKey, string what, Func<CancellationToken, Task> job, CancellationToken cancellationToken)
    {
        if (await work.EnqueueAsync(what, Once(deliveryKey, what, job), cancellationToken))
        {
            return SlackAck.Ok;
        }

        LogQueueFull(what);
        return SlackAck.Busy;
    }

    private Func<CancellationToken, Task> Once(string deliveryKey, string what, Func<CancellationToken, Task> job) => async ct =>
    {
        if (await deliveries.TryBeginAsync(deliveryKey, ct))
        {
            await job(ct);
        }
        else
        {
            LogRepeated(what);
        }
    };

    /// <summary>
    /// The workspace and the app are pinned: a signed payload for another workspace (team_id / enterprise_id) or
    /// another app (api_app_id) changes nothing. Payload fields per docs.slack.dev (slash commands, interaction
    /// payloads, the Events API envelope).
    /// </summary>
    private SlackAck? Pinning(string? teamId, string? enterpriseId, string? appId)
    {
        if (installation.Refuses(teamId, enterpriseId, appId) is not { } problem)
        {
            return null;
        }

        return installation.IsKnown ? SlackAck.NotOurs(problem) : SlackAck.NotReady(problem);
    }

    private SlackAck Unhandled(string? type)
    {
        LogUnhandled(type ?? "(none)");
        return SlackAck.Ok;
    }

    private async ValueTask<SlackAck> QueueModalAsync(string deliveryKey, string what, Func<CancellationToken, Task> job, CancellationToken cancellationToken)
    {
        if (await modals.EnqueueAsync(what, Once(deliveryKey, what, job), cancellationToken))
        {
            return SlackAck.Ok;
        }

        LogQueueFull(what);
        return SlackAck.Busy;
    }

    private static string? Field(IReadOnlyDictionary<string, string> form, string name) =>
        form.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack /mfa-reset from {UserId}: opening the request modal")]
    private partial void LogCommand(string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "A Slack message mentioned {UserId}, whom users.info does not know; left out")]
    private partial void LogUnknownMention(string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The request modal for {UserId} could not be opened: Slack said {Error}; told them privately")]
    private partial void LogModalFailed(string userId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack sent a '{Type}' payload this bot does not handle; acknowledged, nothing done")]
    private partial void LogUnhandled(string type);

    // The key is not logged: for a click or a view it carries ids that are nobody's business in a log.
    [LoggerMessage(Level = LogLevel.Information, Message = "Slack delivered '{What}' again (a retry, to this instance or another): already handled, skipped")]
    private partial void LogRepeated(string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack work queue is full; '{What}' was refused with 503 for Slack to retry")]
    private partial void LogQueueFull(string what);
}
