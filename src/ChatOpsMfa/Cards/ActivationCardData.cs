using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Cards;

/// <summary>
/// The owner's activation card, updated in place: where the code is typed (or the Okta Verify scan is awaited), how
/// many tries are left, and how it ended. Never holds a secret.
/// </summary>
/// <param name="AcceptsCode">Show the code input and the Activate button.</param>
/// <param name="Actions">Further buttons (send a new code), as the request permits.</param>
public sealed record ActivationCardData(
    string RequestId,
    string RequestNumber,
    FactorKind Factor,
    string Title,
    string StatusText,
    string? Instructions,
    bool AcceptsCode,
    int AttemptsLeft,
    IReadOnlyList<CardAction> Actions,
    DateTimeOffset? ExpiresAt = null)
{
    public const string TemplateName = "activation";

    public CardContent ToCardContent()
    {
        var data = new JsonObject
        {
            ["requestId"] = RequestId,
            ["requestNumber"] = RequestNumber,
            ["factor"] = CardDataFields.Factor(Factor),
            ["title"] = Title,
            ["statusText"] = StatusText,
            ["acceptsCode"] = AcceptsCode,
            ["attemptsLeft"] = AttemptsLeft,
            ["passCodeInput"] = ActivationInputs.PassCode,
            ["actions"] = CardDataFields.Actions(Actions),
        };
        data.SetIfPresent("instructions", Instructions);
        if (ExpiresAt is { } expiresAt)
        {
            data["expiresAtText"] = CardDataFields.TimestampText(expiresAt);
        }

        return new CardContent(TemplateName, data);
    }
}
