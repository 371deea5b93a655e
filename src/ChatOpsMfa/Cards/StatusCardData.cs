using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Cards;

/// <summary>The requester's own card, updated in place as the request moves on.</summary>
/// <param name="NextStep">What the employee should expect or do now, in plain words.</param>
/// <param name="Actions">What the requester may do now (e.g. cancel, retry); empty shows no buttons.</param>
public sealed record StatusCardData(
    string RequestId,
    string RequestNumber,
    FactorKind Factor,
    string StatusText,
    string? NextStep,
    IReadOnlyList<CardAction> Actions,
    DateTimeOffset? UpdatedAt = null,
    string? Title = null)
{
    public const string TemplateName = "status";

    public CardContent ToCardContent()
    {
        var data = new JsonObject
        {
            ["requestId"] = RequestId,
            ["requestNumber"] = RequestNumber,
            ["factor"] = CardDataFields.Factor(Factor),
            ["statusText"] = StatusText,
            ["actions"] = CardDataFields.Actions(Actions),
        };
        data.SetIfPresent("nextStep", NextStep);
        data.SetIfPresent("title", Title);
        if (UpdatedAt is { } updatedAt)
        {
            data["updatedAt"] = CardDataFields.Timestamp(updatedAt);
            data["updatedAtText"] = CardDataFields.TimestampText(updatedAt);
        }

        return new CardContent(TemplateName, data);
    }
}
