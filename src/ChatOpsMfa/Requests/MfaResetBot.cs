using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Understands what people say and click, on any channel: <c>/mfa-reset</c> opens the form, the form's submission
/// creates a request, and the card buttons decide it. Everything else gets a short help text.
/// </summary>
public sealed partial class MfaResetBot(ResetWorkflowService requests) : IInboundHandler
{
    public const string HelpText =
        "I reset your Okta MFA after a lost or replaced phone, with a help-desk approval. " +
        "Send /mfa-reset in a private chat with me to start.";

    public static ChatMessage FormMessage { get; } =
        new("Which factor do you want to set up on your new device?", RequestFormCard.Create(FactorCatalog.All));

    public async Task<InboundResult> HandleAsync(IChatChannel channel, InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Value is { } value && value["verb"] is JsonValue)
        {
            return await HandleActionAsync(channel, message, value, cancellationToken);
        }

        var command = Normalise(message.Text);
        if (command is "/mfa-reset" or "mfa-reset")
        {
            await channel.PostAsync(message.Conversation, message.Conversation.IsGroup
                ? new ChatMessage("For your privacy, please send /mfa-reset to me in a private chat, not here.")
                : FormMessage, cancellationToken);
            return InboundResult.None;
        }

        await channel.PostAsync(message.Conversation, new ChatMessage(HelpText), cancellationToken);
        return InboundResult.None;
    }

    private async Task<InboundResult> HandleActionAsync(
        IChatChannel channel, InboundMessage message, JsonObject value, CancellationToken cancellationToken)
    {
        var verb = Text(value, "verb");
        var trigger = verb switch
        {
            CardVerbs.Approve => RequestTrigger.Approve,
            CardVerbs.Deny => RequestTrigger.Deny,
            CardVerbs.Retry => RequestTrigger.Retry,
            CardVerbs.Cancel => RequestTrigger.Cancel,
            _ => (RequestTrigger?)null,
        };

        if (verb == CardVerbs.SubmitRequest)
        {
            return await SubmitAsync(channel, message, value, cancellationToken);
        }

        if (trigger is not { } action || Text(value, "requestId") is not { Length: > 0 and <= 64 } requestId)
        {
            return new InboundResult(Notice: "That button is not one I know. Please use the buttons on the latest card.");
        }

        var outcome = await requests.DecideAsync(message.From, requestId, action, cancellationToken);
        var card = outcome.Request is null ? null
            : message.Conversation.IsGroup ? RequestPresenter.ApprovalMessage(outcome.Request)
            : RequestPresenter.StatusMessage(outcome.Request);
        return new InboundResult(card, outcome.Refusal);
    }

    private async Task<InboundResult> SubmitAsync(IChatChannel channel, InboundMessage message, JsonObject value, CancellationToken cancellationToken)
    {
        if (message.Conversation.IsGroup)
        {
            return new InboundResult(Notice: "Please ask for a reset in a private chat with me.");
        }

        var (factor, problem) = RequestForm.Read(value);
        if (factor is null)
        {
            await channel.PostAsync(message.Conversation, new ChatMessage(problem!.Message), cancellationToken);
            return InboundResult.None;
        }

        var outcome = await requests.SubmitAsync(message.From, message.Conversation, factor, cancellationToken);
        if (!outcome.Succeeded)
        {
            await channel.PostAsync(message.Conversation, new ChatMessage(outcome.Refusal!), cancellationToken);
        }

        return InboundResult.None;
    }

    private static string? Text(JsonObject value, string name) =>
        value[name] is JsonValue node && node.TryGetValue<string>(out var text) ? text : null;

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
