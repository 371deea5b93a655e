using System.Text;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Cards;

/// <summary>
/// The card in the support channel. <paramref name="PhoneNumber"/> and <paramref name="Email"/> are the raw
/// values: the card masks them itself, so no caller can put a full number in front of approvers by mistake.
/// <paramref name="DestinationSource"/> says where they came from, never what they are.
/// </summary>
/// <param name="RequestId">Goes into button data; the handler looks the request up by it.</param>
/// <param name="RequestNumber">What people quote, e.g. "MFA-0042".</param>
/// <param name="Actions">What the state machine permits now; an empty list shows no buttons.</param>
public sealed record ApprovalCardData(
    string RequestId,
    string RequestNumber,
    ChatUser Requester,
    string TargetLogin,
    string TargetDisplayName,
    FactorKind Factor,
    DateTimeOffset CreatedAt,
    string StatusText,
    IReadOnlyList<DecisionEntry> History,
    IReadOnlyList<CardAction> Actions,
    string? PhoneNumber = null,
    string? Email = null,
    string? Reason = null,
    IReadOnlyList<CardFact>? TargetFacts = null,
    string? ApprovalNote = null,
    string? Problem = null,
    string? DestinationSource = null)
{
    public const string TemplateName = "approval";

    /// <summary>Where the new factor sends codes, masked; null when the factor needs neither.</summary>
    public string? MaskedDestination => Factor.Needs switch
    {
        FactorProfileNeed.PhoneNumber => PhoneMasking.Mask(PhoneNumber),
        FactorProfileNeed.Email => EmailMasking.Mask(Email),
        _ => null,
    };

    public CardContent ToCardContent()
    {
        var data = new JsonObject
        {
            ["requestId"] = RequestId,
            ["requestNumber"] = RequestNumber,
            ["requester"] = new JsonObject { ["id"] = Requester.Id, ["name"] = Requester.Name },
            ["target"] = new JsonObject { ["login"] = TargetLogin, ["displayName"] = TargetDisplayName },
            ["factor"] = CardDataFields.Factor(Factor),
            ["createdAt"] = CardDataFields.Timestamp(CreatedAt),
            ["createdAtText"] = CardDataFields.TimestampText(CreatedAt),
            ["statusText"] = StatusText,
            ["history"] = new JsonArray(History.Select(h => (JsonNode)new JsonObject
            {
                ["actor"] = h.Actor,
                ["decision"] = h.Decision,
                ["at"] = CardDataFields.Timestamp(h.At),
                ["atText"] = CardDataFields.TimestampText(h.At),
            }).ToArray()),
            ["actions"] = CardDataFields.Actions(Actions),
        };
        // Where the destination came from (the target's Okta profile, or typed by the requester) sits beside it, so
        // approvers can tell a number Okta knows from one nobody has vouched for.
        data.SetIfPresent("destination", MaskedDestination is { } masked && DestinationSource is { } source ? $"{masked} ({source})" : MaskedDestination);
        data.SetIfPresent("reason", Reason);
        data.SetIfPresent("approvalNote", ApprovalNote);
        data.SetIfPresent("problem", Problem);
        if (TargetFacts is { Count: > 0 })
        {
            data["targetFacts"] = new JsonArray(TargetFacts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Title, ["value"] = f.Value }).ToArray());
        }
        return new CardContent(TemplateName, data);
    }

    // Records print every property; keep the raw phone number and email out of logs and exception text.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"RequestId = {RequestId}, RequestNumber = {RequestNumber}, Factor = {Factor.FactorType}/{Factor.Provider}, ");
        builder.Append($"StatusText = {StatusText}, Destination = {MaskedDestination}, Actions = {Actions.Count}");
        return true;
    }
}
