using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Channels.Slack.BlockKit;

/// <summary>
/// Renders the bot's cards as Block Kit, reading the same <see cref="CardContent"/> data the Adaptive Card templates
/// bind (fields per template: cards/README.md). Nothing here decides what to say; it only lays the data out Slack's way.
/// </summary>
public static class BlockKitRenderer
{
    /// <summary>Blocks for a message, limits already enforced. A message without a card is a single section.</summary>
    public static JsonArray RenderMessage(ChatMessage message) => RenderMessage(message, out _);

    /// <summary>As <see cref="RenderMessage(ChatMessage)"/>, also saying what had to be cut (never the content itself).</summary>
    public static JsonArray RenderMessage(ChatMessage message, out IReadOnlyList<string> cuts)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mentions = SlackMentions.Render(message.Mentions);
        var blocks = message.Card switch
        {
            { Template: ApprovalCardData.TemplateName } card => Approval(card.Data),
            { Template: StatusCardData.TemplateName } card => Status(card.Data),
            { Template: ResultCardData.TemplateName } card => Result(card.Data),
            { Template: ActivationCardData.TemplateName } card => Activation(card.Data),
            { Template: RequestFormCard.TemplateName } card => FormInvitation(message.Text, card.Data),
            _ => null,
        };
        if (blocks is null)
        {
            // The text alone, with the people it mentions on a line of their own.
            blocks = [Section(SlackMentions.Append(BlockText.Escape(message.Text), mentions, BlockKitLimits.SectionText))];
        }
        else if (mentions is not null)
        {
            // A card's people to notify go in a section of their own, above its buttons.
            var at = blocks.Count > 0 && blocks[^1]?["type"]?.GetValue<string>() == "actions" ? blocks.Count - 1 : blocks.Count;
            blocks.Insert(at, Section(mentions));
        }

        cuts = BlockKitLimits.FitMessage(blocks);
        return blocks;
    }

    private static JsonArray Approval(JsonObject data)
    {
        var number = BlockText.Read(data, "requestNumber");
        var requesterId = BlockText.Read(data, "requester.id");
        var requester = BlockText.Escape(BlockText.Read(data, "requester.name"));
        if (requesterId is not null && SlackIds.IsUserId(requesterId))
        {
            requester += $" (<@{requesterId}>)";
        }

        var fields = new JsonArray(
            BlockText.Markdown($"*Requested by*\n{requester}"),
            BlockText.Markdown(BlockText.Field("For", $"{BlockText.Read(data, "target.displayName")} ({BlockText.Read(data, "target.login")})")),
            BlockText.Markdown(BlockText.Field("New method", BlockText.Read(data, "factor.label"))));
        if (BlockText.Read(data, "destination") is { } destination)
        {
            fields.Add(BlockText.Markdown(BlockText.Field("Sent to", destination)));
        }

        fields.Add(BlockText.Markdown(BlockText.Field("Request", number)));
        fields.Add(BlockText.Markdown(BlockText.Field("Created", BlockText.Read(data, "createdAtText"))));

        var blocks = new JsonArray(
            Header($"MFA reset request {number}"),
            Section($"*{BlockText.Escape(BlockText.Read(data, "statusText"))}*"),
            new JsonObject { ["type"] = "section", ["fields"] = fields });

        // The same order as the approval template: why more approvals are needed, who the target is, what Okta said.
        if (BlockText.Read(data, "approvalNote") is { } note)
        {
            blocks.Add(Section(":warning: *" + BlockText.Escape(note) + "*"));
        }

        AddTargetFacts(blocks, data["targetFacts"] as JsonArray);
        if (BlockText.Read(data, "problem") is { } problem)
        {
            blocks.Add(Section(":x: " + BlockText.Escape(problem)));
        }

        if (BlockText.Read(data, "reason") is { } reason)
        {
            // Text a person wrote goes in plain_text: Slack never formats it, so it cannot become a link.
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = BlockText.Plain("Reason given: " + reason) });
        }

        if (data["history"] is JsonArray { Count: > 0 } history)
        {
            var elements = new JsonArray(BlockText.Markdown("*Decisions*"));
            foreach (var entry in history)
            {
                elements.Add(BlockText.Plain(
                    $"{BlockText.Read(entry, "actor")}: {BlockText.Read(entry, "decision")}, {BlockText.Read(entry, "atText")}"));
            }

            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = elements });
        }

        AddButtons(blocks, data, BlockText.Read(data, "requestId"));
        return blocks;
    }

    /// <summary>
    /// The target's Okta facts as section fields, at most <see cref="BlockKitLimits.SectionFields"/> per section, so
    /// every fact is shown (a card has a handful) instead of the limit cutting the tail off.
    /// </summary>
    private static void AddTargetFacts(JsonArray blocks, JsonArray? facts)
    {
        var fields = (facts ?? []).OfType<JsonObject>()
            .Where(f => BlockText.Read(f, "title") is not null)
            .Select(f => (JsonNode)BlockText.Markdown(BlockText.Field(BlockText.Read(f, "title")!, BlockText.Read(f, "value") ?? "")))
            .ToList();
        if (fields.Count == 0)
        {
            return;
        }

        blocks.Add(new JsonObject { ["type"] = "divider" });
        blocks.Add(Section("*Who is this? (from Okta)*"));
        foreach (var chunk in fields.Chunk(BlockKitLimits.SectionFields))
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = new JsonArray(chunk) });
        }
    }

    private static JsonArray Status(JsonObject data)
    {
        var blocks = new JsonArray(
            Header(BlockText.Read(data, "title") ?? $"Your MFA reset {BlockText.Read(data, "requestNumber")}"),
            Section($"*{BlockText.Escape(BlockText.Read(data, "statusText"))}*"),
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(
                    BlockText.Markdown(BlockText.Field("New method", BlockText.Read(data, "factor.label"))),
                    BlockText.Markdown(BlockText.Field("Request", BlockText.Read(data, "requestNumber")))),
            });
        var context = new JsonArray();
        if (BlockText.Read(data, "nextStep") is { } next)
        {
            context.Add(BlockText.Plain(next));
        }

        if (BlockText.Read(data, "updatedAtText") is { } updated)
        {
            context.Add(BlockText.Plain("Updated " + updated));
        }

        if (context.Count > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = context });
        }

        AddButtons(blocks, data, BlockText.Read(data, "requestId"));
        return blocks;
    }

    private static JsonArray Result(JsonObject data)
    {
        var blocks = new JsonArray(
            Header($"{BlockText.Read(data, "factor.label")}: {BlockText.Read(data, "factorStatusText")}"),
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(
                    BlockText.Markdown(BlockText.Field("Request", BlockText.Read(data, "requestNumber"))),
                    BlockText.Markdown(BlockText.Field("Factor id", BlockText.Read(data, "factorId"))),
                    BlockText.Markdown(BlockText.Field("Status", BlockText.Read(data, "factorStatus")))),
            },
            Section(BlockText.Escape(BlockText.Read(data, "instructions"))));
        if (BlockText.Read(data, "sharedSecret") is { } secret)
        {
            blocks.Add(Section($"*Setup key* (only you can see this message; don't share it)\n`{BlockText.Escape(secret)}`"));
        }

        // A Slack image block needs a public https URL; the QR code is uploaded as a file beside this message instead.
        if (BlockText.Read(data, "qrImage") is not null)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(BlockText.Plain("The QR code to scan is the image just below, in this private chat.")),
            });
        }

        return blocks;
    }

    // A Slack message has no text input: "Enter the code" opens a modal that has one.
    private static JsonArray Activation(JsonObject data)
    {
        var blocks = new JsonArray(
            Header(BlockText.Read(data, "title") ?? "Finish the setup"),
            Section($"*{BlockText.Escape(BlockText.Read(data, "statusText"))}*"));
        var fields = new JsonArray(
            BlockText.Markdown(BlockText.Field("Request", BlockText.Read(data, "requestNumber"))),
            BlockText.Markdown(BlockText.Field("Method", BlockText.Read(data, "factor.label"))));
        if (BlockText.Read(data, "expiresAtText") is { } expires)
        {
            fields.Add(BlockText.Markdown(BlockText.Field("Finish by", expires)));
        }

        blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        if (BlockText.Read(data, "instructions") is { } instructions)
        {
            blocks.Add(Section(BlockText.Escape(instructions)));
        }

        var buttons = new JsonArray();
        if (data["acceptsCode"]?.GetValue<bool>() == true)
        {
            // attemptsLeft is a number in the card data, not text.
            var left = data["attemptsLeft"] is JsonValue count && count.TryGetValue<int>(out var n) ? n : 0;
            buttons.Add(new JsonObject
            {
                ["verb"] = CardAction.EnterCode.Verb,
                ["title"] = $"{CardAction.EnterCode.Title} ({left} attempt(s) left)",
                ["style"] = CardAction.EnterCode.Style,
            });
        }

        foreach (var action in data["actions"] as JsonArray ?? [])
        {
            buttons.Add(action?.DeepClone());
        }

        AddButtons(blocks, new JsonObject { ["actions"] = buttons }, BlockText.Read(data, "requestId"));
        return blocks;
    }

    // A message cannot hold the form's inputs as a modal does; it offers a button that opens the modal instead.
    private static JsonArray FormInvitation(string text, JsonObject data)
    {
        var blocks = new JsonArray(Section(BlockText.Escape(text)));
        if (BlockText.Read(data, "error") is { } error)
        {
            blocks.Add(Section(":warning: " + BlockText.Escape(error)));
        }

        blocks.Add(new JsonObject
        {
            ["type"] = "actions",
            ["elements"] = new JsonArray(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = SlackActionIds.OpenRequestForm,
                ["text"] = BlockText.Plain("Open the request form"),
                ["style"] = "primary",
                // A form made on someone's behalf carries its draft (and the name to show) to the modal it opens.
                ["value"] = RequestModal.OnBehalfDraft(data) is null ? "open" : data["onBehalfOf"]!.ToJsonString(),
            }),
        });
        return blocks;
    }

    private static void AddButtons(JsonArray blocks, JsonObject data, string? requestId)
    {
        if (data["actions"] is not JsonArray { Count: > 0 } actions || requestId is null)
        {
            return;
        }

        var buttons = new JsonArray();
        var codeButton = false;
        foreach (var action in actions)
        {
            var verb = BlockText.Read(action, "verb");
            // A message has no text input for the code: "activate" becomes the button that opens the code modal (once).
            if (verb == CardVerbs.Activate)
            {
                verb = CardVerbs.EnterCode;
            }

            if (verb is null || (verb == CardVerbs.EnterCode && codeButton))
            {
                continue;
            }

            codeButton |= verb == CardVerbs.EnterCode;

            var button = new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = verb,
                ["text"] = BlockText.Plain(BlockText.Read(action, "title") ?? verb),
                ["value"] = requestId,
            };
            switch (BlockText.Read(action, "style"))
            {
                case CardAction.PositiveStyle:
                    button["style"] = "primary";
                    break;
                case CardAction.DestructiveStyle:
                    button["style"] = "danger";
                    break;
            }

            if (verb == CardVerbs.Approve)
            {
                button["confirm"] = ApproveConfirmation(data);
            }
            else if (verb == CardVerbs.Object)
            {
                button["confirm"] = new JsonObject
                {
                    ["title"] = BlockText.Plain("You did not ask for this?"),
                    ["text"] = BlockText.Plain("The reset will be cancelled and the help desk told that you did not ask for it."),
                    ["confirm"] = BlockText.Plain("Cancel the reset"),
                    ["deny"] = BlockText.Plain("Go back"),
                    ["style"] = "danger",
                };
            }

            else if (verb == CardVerbs.ConfirmManager)
            {
                button["confirm"] = new JsonObject
                {
                    ["title"] = BlockText.Plain("Confirm it is them?"),
                    ["text"] = BlockText.Plain("Confirm only if you have checked yourself, in person or on a video call, that it is really them asking. A message or a call can be faked."),
                    ["confirm"] = BlockText.Plain("Confirm"),
                    ["deny"] = BlockText.Plain("Go back"),
                    ["style"] = "primary",
                };
            }
            else if (verb == CardVerbs.ReportManager)
            {
                button["confirm"] = new JsonObject
                {
                    ["title"] = BlockText.Plain("Report this request?"),
                    ["text"] = BlockText.Plain("The reset will be cancelled and the help desk alerted that you could not confirm who is asking."),
                    ["confirm"] = BlockText.Plain("Report it"),
                    ["deny"] = BlockText.Plain("Go back"),
                    ["style"] = "danger",
                };
            }

            buttons.Add(button);
        }

        blocks.Add(new JsonObject { ["type"] = "actions", ["block_id"] = SlackActionIds.ActionsBlock, ["elements"] = buttons });
    }

    private static JsonObject ApproveConfirmation(JsonObject data) => new()
    {
        ["title"] = BlockText.Plain("Approve this reset?"),
        ["text"] = BlockText.Plain(BlockKitLimits.Shorten(
            $"Every MFA factor of {BlockText.Read(data, "target.login")} will be reset and {BlockText.Read(data, "factor.label")} enrolled. " +
            "Only approve if you have verified who is asking.", 300)),
        ["confirm"] = BlockText.Plain("Approve"),
        ["deny"] = BlockText.Plain("Cancel"),
        ["style"] = "primary",
    };

    internal static JsonObject Header(string text) =>
        new() { ["type"] = "header", ["text"] = BlockText.Plain(string.IsNullOrWhiteSpace(text) ? "MFA reset" : text) };

    internal static JsonObject Section(string markdown) =>
        new() { ["type"] = "section", ["text"] = BlockText.Markdown(string.IsNullOrWhiteSpace(markdown) ? " " : markdown) };
}
