using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Understands what people say and click, on any channel: <c>/mfa-reset</c> opens the form, the form's submission
/// creates a request, and the card buttons decide it. Everything else gets a short help text.
/// </summary>
public sealed partial class MfaResetBot(
    ResetWorkflowService requests, ApprovalPolicy policy, OnBehalfDrafts drafts, IOptionsMonitor<ActivationOptions> activation)
    : IInboundHandler
{
    public const string HelpText =
        "I reset your Okta MFA after a lost or replaced phone, with a help-desk approval. " +
        "Send /mfa-reset in a private chat with me to start.";

    public static ChatMessage FormMessage { get; } =
        new("Which factor do you want to set up on your new device?", RequestFormCard.Create(FactorCatalog.Offered));

    public async Task<InboundResult> HandleAsync(IChatChannel channel, InboundMessage message, CancellationToken cancellationToken)
    {
        // Which platform's id this is: with Identity:Binding=OktaAttribute it picks the Okta attribute that holds it.
        message = message with { From = message.From with { Channel = channel.ChannelId } };
        if (message.Value is { } value && value["verb"] is JsonValue)
        {
            return await HandleActionAsync(channel, message, value, cancellationToken);
        }

        var words = Normalise(message.Text).Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words is ["/mfa-reset" or "mfa-reset", ..])
        {
            if (message.Conversation.IsGroup)
            {
                await channel.PostAsync(message.Conversation,
                    new ChatMessage("For your privacy, please send /mfa-reset to me in a private chat, not here."), cancellationToken);
                return InboundResult.None;
            }

            var reply = words.Length == 1 && (message.Mentions ?? []).Count == 0
                ? FormMessage
                : await OnBehalfFormAsync(channel, message, words.Length > 1 ? words[1] : null, cancellationToken);
            await channel.PostAsync(message.Conversation, reply, cancellationToken);
            return InboundResult.None;
        }

        await channel.PostAsync(message.Conversation, new ChatMessage(HelpText), cancellationToken);
        return InboundResult.None;
    }

    private async Task<InboundResult> HandleActionAsync(
        IChatChannel channel, InboundMessage message, JsonObject value, CancellationToken cancellationToken)
    {
        var verb = CardValues.Text(value, "verb");
        var trigger = verb switch
        {
            CardVerbs.Approve => RequestTrigger.Approve,
            CardVerbs.Deny => RequestTrigger.Deny,
            CardVerbs.Retry => RequestTrigger.Retry,
            CardVerbs.Cancel => RequestTrigger.Cancel,
            CardVerbs.Object => RequestTrigger.Object,
            CardVerbs.ConfirmManager => RequestTrigger.ConfirmManager,
            CardVerbs.ReportManager => RequestTrigger.ReportManager,
            _ => (RequestTrigger?)null,
        };

        if (verb == CardVerbs.SubmitRequest)
        {
            return await SubmitAsync(channel, message, value, cancellationToken);
        }

        if (verb is CardVerbs.Activate or CardVerbs.ResendCode or CardVerbs.SendActivationLink or CardVerbs.TextActivationLink)
        {
            return await ActivationAsync(message, value, verb, cancellationToken);
        }

        if (trigger is not { } action || CardValues.Text(value, "requestId") is not { Length: > 0 and <= 64 } requestId)
        {
            return new InboundResult(Notice: "That button is not one I know. Please use the buttons on the latest card.");
        }

        var outcome = await requests.DecideAsync(message.From, requestId, action, cancellationToken);
        var card = outcome.Request is null ? null
            : message.Conversation.IsGroup ? RequestPresenter.ApprovalMessage(outcome.Request)
            : action is RequestTrigger.ConfirmManager or RequestTrigger.ReportManager ? RequestPresenter.ManagerMessage(outcome.Request)
            : RequestPresenter.StatusMessage(outcome.Request);
        return new InboundResult(card, outcome.Refusal ?? outcome.Notice);
    }

    /// <summary>A code typed, or a new code asked for, by the person whose factor it is, in their private chat.</summary>
    private async Task<InboundResult> ActivationAsync(InboundMessage message, JsonObject value, string verb, CancellationToken cancellationToken)
    {
        if (message.Conversation.IsGroup)
        {
            return new InboundResult(Notice: "Codes are only accepted in your private chat with me. Never type a code in a shared channel.");
        }

        if (CardValues.Text(value, "requestId") is not { Length: > 0 and <= 64 } requestId)
        {
            return new InboundResult(Notice: "That button is not one I know. Please use the buttons on the latest card.");
        }

        var outcome = verb == CardVerbs.Activate
            ? await requests.SubmitCodeAsync(message.From, requestId, CardValues.Text(value, ActivationInputs.PassCode), cancellationToken)
            : await requests.ResendCodeAsync(message.From, requestId, cancellationToken, bySms: verb == CardVerbs.TextActivationLink);
        var card = outcome.Request is { } request && string.Equals(request.FactorOwner.Id, message.From.Id, StringComparison.Ordinal)
            ? RequestPresenter.ActivationMessage(request, activation.CurrentValue.MaxResends)
            : null;
        return new InboundResult(card, outcome.Refusal ?? outcome.Notice);
    }

    private async Task<InboundResult> SubmitAsync(IChatChannel channel, InboundMessage message, JsonObject value, CancellationToken cancellationToken)
    {
        if (message.Conversation.IsGroup)
        {
            return new InboundResult(Notice: "Please ask for a reset in a private chat with me.");
        }

        var draftId = CardValues.Text(value, "onBehalfOf");
        var (factor, problem) = RequestForm.Read(value, onBehalf: !string.IsNullOrEmpty(draftId));
        if (factor is null)
        {
            await channel.PostAsync(message.Conversation, new ChatMessage(problem!.Message), cancellationToken);
            return InboundResult.None;
        }

        ChatUser? onBehalfOf = null;
        if (!string.IsNullOrEmpty(draftId))
        {
            onBehalfOf = await drafts.TakeAsync(draftId, message.From, cancellationToken);
            if (onBehalfOf is null)
            {
                await channel.PostAsync(message.Conversation,
                    new ChatMessage("That form has expired or is not yours. Send /mfa-reset with the person's email again."), cancellationToken);
                return InboundResult.None;
            }
        }

        var outcome = await requests.SubmitAsync(message.From, message.Conversation, factor, onBehalfOf, cancellationToken);
        if (!outcome.Succeeded)
        {
            await channel.PostAsync(message.Conversation, new ChatMessage(outcome.Refusal!), cancellationToken);
        }

        return InboundResult.None;
    }

    /// <summary>The form for a help-desk request on someone's behalf, or why it can't be made.</summary>
    private async Task<ChatMessage> OnBehalfFormAsync(IChatChannel channel, InboundMessage message, string? named, CancellationToken cancellationToken)
    {
        if (!policy.IsHelpDesk(message.From))
        {
            return new ChatMessage("Only the help desk may ask for a reset on someone else's behalf. To reset your own MFA, send /mfa-reset alone.");
        }

        var target = message.Mentions?.FirstOrDefault(m => m.Id != message.From.Id);
        if (target is null && CardValues.IsEmail(named))
        {
            target = await channel.FindUserByEmailAsync(named!, cancellationToken);
        }

        if (target?.Email is null)
        {
            return new ChatMessage(
                "I can't find that person in chat. Name them with a mention (or their email, where this chat can look people up by email): they must be told about the reset, so I need to reach them.");
        }

        if (target.Id == message.From.Id)
        {
            return FormMessage;
        }

        var form = RequestFormCard.Create(FactorCatalog.Offered);
        form.Data["onBehalfOf"] = new JsonObject { ["draft"] = await drafts.CreateAsync(message.From, target, cancellationToken), ["name"] = target.Name };
        // Their phone or email comes from their Okta profile, never from the help desk: the form does not ask for it.
        form.Data["needsPhone"] = false;
        form.Data["needsEmail"] = false;
        return new ChatMessage($"Which factor should {target.Name} set up? They will be told about this request and can object.", form);
    }

    private static string Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        // Teams puts the bot's mention in the text ("<at>ChatOpsMfa</at> mfa-reset"); only the command matters.
        return MentionPattern().Replace(text, " ").Trim().ToLowerInvariant();
    }

    [GeneratedRegex(@"<at>.*?</at>", RegexOptions.IgnoreCase)]
    private static partial Regex MentionPattern();
}
