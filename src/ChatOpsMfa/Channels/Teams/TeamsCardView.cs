using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Requests;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Turns the core's <see cref="ChatMessage"/> into what Teams shows. Buttons become Universal Actions
/// (<c>Action.Execute</c> falling back to <c>Action.Submit</c>). The approval card is posted without buttons and
/// with a <c>refresh</c> for the approvers, whose clients then fetch the version with Approve and Deny.
/// </summary>
internal sealed class TeamsCardView(AdaptiveCardRenderer renderer, TeamsDirectory directory, IOptionsMonitor<ApprovalOptions> approvals)
{
    public const string RefreshVerb = "refreshCard";

    /// <summary>Teams runs an automatic refresh for at most this many users.</summary>
    public const int MaximumRefreshUsers = 60;

    /// <summary>The message activity for everyone in the conversation.</summary>
    public JsonObject Activity(ChatMessage message)
    {
        var activity = new JsonObject { ["type"] = "message", ["text"] = message.Text };
        if (message.Card is not null)
        {
            activity["attachments"] = new JsonArray(AdaptiveCardAttachment.Create(Card(message.Card, forApprover: false)));
        }

        return activity;
    }

    /// <summary>The card as one person sees it: approvers get the approval card's buttons, everyone else does not.</summary>
    public JsonObject Card(CardContent content, bool forApprover)
    {
        if (content.Template != ApprovalCardData.TemplateName || content.Data["actions"] is not JsonArray { Count: > 0 })
        {
            return AdaptiveCardActions.UseExecute(renderer.Render(content));
        }

        var card = forApprover
            ? AdaptiveCardActions.UseExecute(renderer.Render(content))
            : renderer.Render(WithoutButtons(content));
        card["refresh"] = Refresh(content);
        return card;
    }

    private JsonObject Refresh(CardContent content)
    {
        var requestId = content.Data["requestId"]?.DeepClone();
        return new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = RefreshVerb,
                ["data"] = new JsonObject { ["verb"] = RefreshVerb, ["requestId"] = requestId },
            },
            ["userIds"] = new JsonArray(ApproverIds().Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
        };
    }

    /// <summary>
    /// The approvers' Teams ids: the member id learnt from their activities where known, otherwise the Teams MRI of an
    /// Entra object id (<c>8:orgid:…</c>). Approvers configured by email get an automatic refresh once the bot has
    /// seen them.
    /// </summary>
    public IReadOnlyList<string> ApproverIds()
    {
        var ids = new List<string>();
        foreach (var approver in approvals.CurrentValue.Approvers)
        {
            if (directory.MemberIdOf(approver) is { } memberId)
            {
                ids.Add(memberId);
            }
            else if (Guid.TryParse(approver, out var objectId))
            {
                ids.Add("8:orgid:" + objectId.ToString("D"));
            }
        }

        return ids.Distinct(StringComparer.Ordinal).Take(MaximumRefreshUsers).ToList();
    }

    private static CardContent WithoutButtons(CardContent content)
    {
        var data = content.Data.DeepClone().AsObject();
        data["actions"] = new JsonArray();
        return content with { Data = data };
    }
}
