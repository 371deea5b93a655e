using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Requests;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Turns the core's <see cref="ChatMessage"/> into what Teams shows. Buttons become Universal Actions
/// (<c>Action.Execute</c> falling back to <c>Action.Submit</c>). The approval card is posted without Approve and Deny
/// and with a <c>refresh</c> for the approvers (their <c>29:</c> ids from the member map), whose clients then fetch
/// the version with the buttons. Teams refreshes automatically for at most 60 listed users, so the posted card also
/// carries a "Show approval actions" button: anyone may pull the view, and approvers get the buttons with it.
/// </summary>
internal sealed class TeamsCardView(AdaptiveCardRenderer renderer, TeamsDirectory directory, IOptionsMonitor<ApprovalOptions> approvals)
{
    public const string RefreshVerb = "refreshCard";

    public const string ShowActionsTitle = "Show approval actions";

    /// <summary>Teams runs an automatic refresh for at most this many users.</summary>
    public const int MaximumRefreshUsers = 60;

    /// <summary>The message activity for everyone in the conversation.</summary>
    public async Task<JsonObject> ActivityAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        var activity = new JsonObject { ["type"] = "message", ["text"] = message.Text };
        if (message.Card is not null)
        {
            activity["attachments"] = new JsonArray(AdaptiveCardAttachment.Create(await CardAsync(message.Card, forApprover: false, cancellationToken)));
        }

        return activity;
    }

    /// <summary>The card as one person sees it: approvers get the approval card's buttons, everyone else does not.</summary>
    public async Task<JsonObject> CardAsync(CardContent content, bool forApprover, CancellationToken cancellationToken)
    {
        if (content.Template != ApprovalCardData.TemplateName || content.Data["actions"] is not JsonArray { Count: > 0 })
        {
            return AdaptiveCardActions.UseExecute(renderer.Render(content));
        }

        var card = AdaptiveCardActions.UseExecute(renderer.Render(forApprover ? content : WithShowActionsButton(content)));
        card["refresh"] = Refresh(content, await ApproverIdsAsync(cancellationToken));
        return card;
    }

    private static JsonObject Refresh(CardContent content, IReadOnlyList<string> userIds) => new()
    {
        ["action"] = new JsonObject
        {
            ["type"] = "Action.Execute",
            ["verb"] = RefreshVerb,
            ["data"] = new JsonObject { ["verb"] = RefreshVerb, ["requestId"] = content.Data["requestId"]?.DeepClone() },
        },
        ["userIds"] = new JsonArray(userIds.Select(id => (JsonNode)JsonValue.Create(id)!).ToArray()),
    };

    /// <summary>
    /// The approvers' Teams member ids (<c>29:…</c>), as the member map knows them from the support team's roster
    /// and from lookups; at most <see cref="MaximumRefreshUsers"/>. Approvers it does not know use the button.
    /// </summary>
    public async Task<IReadOnlyList<string>> ApproverIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var approver in approvals.CurrentValue.Approvers)
        {
            if (ids.Count >= MaximumRefreshUsers)
            {
                break;
            }

            if (await directory.MemberByUserAsync(approver, cancellationToken) is { Id: var memberId }
                && memberId.StartsWith("29:", StringComparison.Ordinal) && !ids.Contains(memberId, StringComparer.Ordinal))
            {
                ids.Add(memberId);
            }
        }

        return ids;
    }

    /// <summary>The approval card's data with its decision buttons replaced by the one that pulls the approver's view.</summary>
    private static CardContent WithShowActionsButton(CardContent content)
    {
        var data = content.Data.DeepClone().AsObject();
        data["actions"] = CardDataFields.Actions([new CardAction(RefreshVerb, ShowActionsTitle)]);
        return content with { Data = data };
    }
}
