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

    public async Task HandleAsync(IChatChannel channel, InboundMessage message, CancellationToken cancellationToken)
    {
        if (message.Value is { } value && value["verb"] is JsonValue)
        {
            await HandleActionAsync(channel, message, value, cancellationToken);
            return;
        }

        var command = Normalise(message.Text);
        if (command is "/mfa-reset" or "mfa-reset")
        {
            await channel.PostAsync(message.Conversation, message.Conversation.IsGroup
                ? new ChatMessage("For your privacy, please send /mfa-reset to me in a private chat, not here.")
                : new ChatMessage("Which factor do you want to set up on your new device?", RequestFormCard.Create(FactorCatalog.All)),
                cancellationToken);
            return;
        }

        await channel.PostAsync(message.Conversation, new ChatMessage(HelpText), cancellationToken);
    }

    private async Task HandleActionAsync(IChatChannel channel, InboundMessage message, JsonObject value, CancellationToken cancellationToken)
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
            await SubmitAsync(channel, message, value, cancellationToken);
        }
        else if (trigger is { } action && Text(value, "requestId") is { Length: > 0 and <= 64 } requestId)
        {
            var outcome = await requests.DecideAsync(message.From, requestId, action, cancellationToken);
            if (!outcome.Succeeded)
            {
                await channel.PostEphemeralAsync(message.Conversation, message.From, new ChatMessage(outcome.Refusal!), cancellationToken);
            }
        }
        else
        {
            await channel.PostEphemeralAsync(message.Conversation, message.From,
                new ChatMessage("That button is not one I know. Please use the buttons on the latest card."), cancellationToken);
        }
    }

    private async Task SubmitAsync(IChatChannel channel, InboundMessage message, JsonObject value, CancellationToken cancellationToken)
    {
        if (message.Conversation.IsGroup)
        {
            await channel.PostEphemeralAsync(message.Conversation, message.From,
                new ChatMessage("Please ask for a reset in a private chat with me."), cancellationToken);
            return;
        }

        var (factor, problem) = ReadFactor(value);
        if (factor is null)
        {
            await channel.PostAsync(message.Conversation, new ChatMessage(problem!), cancellationToken);
            return;
        }

        var outcome = await requests.SubmitAsync(message.From, message.Conversation, factor, cancellationToken);
        if (!outcome.Succeeded)
        {
            await channel.PostAsync(message.Conversation, new ChatMessage(outcome.Refusal!), cancellationToken);
        }
    }

    /// <summary>Reads and checks the form. Problems are described without echoing what was typed.</summary>
    private static (FactorRequest? Factor, string? Problem) ReadFactor(JsonObject value)
    {
        var kind = RequestFormCard.ParseChoice(Text(value, RequestFormInputs.Factor));
        if (kind is null)
        {
            return (null, "Please choose one of the factors offered on the form. That factor and provider can't be enrolled in Okta.");
        }

        switch (kind.Needs)
        {
            case FactorProfileNeed.PhoneNumber:
                var phone = NormalisePhone(Text(value, RequestFormInputs.PhoneNumber));
                return phone is null
                    ? (null, $"{kind.Label} needs your phone number in international format, like {RequestFormCard.PhoneExample}. Nothing was requested yet.")
                    : (new FactorRequest(kind.FactorType, kind.Provider, kind.Label, PhoneNumber: phone), null);
            case FactorProfileNeed.Email:
                var email = Text(value, RequestFormInputs.Email)?.Trim();
                return email is null || !EmailPattern().IsMatch(email)
                    ? (null, $"{kind.Label} needs an email address, like name@example.com. Nothing was requested yet.")
                    : (new FactorRequest(kind.FactorType, kind.Provider, kind.Label, Email: email), null);
            case FactorProfileNeed.SecurityQuestion:
                return (null, "Security questions can't be set up through chat. Please choose another factor.");
            default:
                return (new FactorRequest(kind.FactorType, kind.Provider, kind.Label), null);
        }
    }

    private static string? NormalisePhone(string? input)
    {
        if (input is null)
        {
            return null;
        }

        var compact = SeparatorPattern().Replace(input.Trim(), "");
        return E164Pattern().IsMatch(compact) ? compact : null;
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

    [GeneratedRegex(@"^\+[1-9]\d{6,14}$")]
    private static partial Regex E164Pattern();

    [GeneratedRegex(@"[\s\-\(\)\.]")]
    private static partial Regex SeparatorPattern();

    [GeneratedRegex(@"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"<at>.*?</at>", RegexOptions.IgnoreCase)]
    private static partial Regex MentionPattern();
}
