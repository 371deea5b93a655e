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

    /// <summary>
    /// The message activity for everyone in the conversation. The people it mentions are notified as Teams asks:
    /// <c>&lt;at&gt;Name&lt;/at&gt;</c> in the text and a <c>mention</c> entity per person with the same text and their
    /// <c>29:</c> id ("Add mentions to your messages", learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations).
    /// </summary>
    public async Task<JsonObject> ActivityAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        var (text, entities) = await MentioningAsync(message, cancellationToken);
        var activity = new JsonObject { ["type"] = "message", ["text"] = text };
        if (entities.Count > 0)
        {
            activity["entities"] = entities;
        }

        if (message.Card is not null)
        {
            activity["attachments"] = new JsonArray(AdaptiveCardAttachment.Create(await CardAsync(message.Card, forApprover: false, cancellationToken)));
        }

        return activity;
    }

    /// <summary>
    /// The text with the mentioned people appended, and their mention entities. The core names people by their Entra
    /// object id (approvers as configured) or by the user <see cref="TeamsChatChannel.FindUserByEmailAsync"/> found;
    /// Teams needs the member's <c>29:</c> id and their name, which only the member map of the pinned tenant holds
    /// (filled from the Connector). Someone it does not know is named in plain text: better unnotified than mis-tagged.
    /// </summary>
    private async Task<(string Text, JsonArray Entities)> MentioningAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        var entities = new JsonArray();
        if (message.Mentions is not { Count: > 0 } mentions)
        {
            return (message.Text, entities);
        }

        var named = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var person in mentions)
        {
            var member = await directory.HomeMemberByObjectIdAsync(person.Id, cancellationToken)
                ?? (person.Email is { } email ? await directory.HomeMemberByAddressAsync(email, cancellationToken) : null);
            if (member is { Id: var memberId } && memberId.StartsWith("29:", StringComparison.Ordinal))
            {
                if (!seen.Add(memberId))
                {
                    continue;
                }

                var name = member.Name is { Length: > 0 } known ? known : person.Name;
                var tag = $"<at>{Escape(name)}</at>";
                named.Add(tag);
                entities.Add(new JsonObject
                {
                    ["type"] = "mention",
                    ["text"] = tag,
                    ["mentioned"] = new JsonObject { ["id"] = memberId, ["name"] = name },
                });
            }
            else if (seen.Add(person.Id))
            {
                named.Add(Escape(person.Name));
            }
        }

        return (message.Text + "\n\n" + string.Join(", ", named), entities);
    }

    // A display name is the user's own text: it must not close the <at> tag or open another.
    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

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
