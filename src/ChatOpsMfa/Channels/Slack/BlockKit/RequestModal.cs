using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Channels.Slack.BlockKit;

/// <summary>
/// The request form as a Slack modal, rendered from the <c>request-form</c> card data, and its submission read back
/// into the core's form values (<see cref="RequestFormInputs"/>: <c>factor = "type|provider"</c>, phone, email).
/// </summary>
/// <remarks>
/// Block Kit cannot show an input only when another has a certain value without a <c>views.update</c> round trip per
/// change. The phone and email inputs are therefore always shown (when any offered factor needs them), optional, and
/// labelled with the factors they belong to; the submission check (<see cref="RequestForm.Read"/>) decides whether they
/// were needed and marks the right field. That keeps one round trip, works the same over HTTP and Socket Mode, and
/// has no race between a select change and a quick submit.
/// </remarks>
public static class RequestModal
{
    private const char ChoiceSeparator = '|';
    private const string OnBehalfOfKey = "onBehalfOf";
    private const int MaximumDraftLength = 64;

    public static JsonObject Render(CardContent form, string intro)
    {
        ArgumentNullException.ThrowIfNull(form);
        var data = form.Data;
        var pairs = (data["factors"] as JsonArray ?? [])
            .Select(f => (Value: BlockText.Read(f, "value"), Title: BlockText.Read(f, "title"), Needs: BlockText.Read(f, "needs")))
            .Where(f => f.Value?.Split(ChoiceSeparator) is [_, _])
            .Select(f => (Type: f.Value!.Split(ChoiceSeparator)[0], Provider: f.Value!.Split(ChoiceSeparator)[1], f.Title, f.Needs))
            .ToList();

        var blocks = new JsonArray(BlockKitRenderer.Section(BlockText.Escape(intro)));
        var draft = OnBehalfDraft(data);
        if (draft is not null)
        {
            blocks.Add(BlockKitRenderer.Section(
                $"*For {BlockText.Escape(BlockText.Read(data, "onBehalfOf.name"))}, asked by the help desk.* They will be told and can object. SMS, voice and email codes go to the phone or email in their Okta profile."));
        }

        if (BlockText.Read(data, "error") is { } error)
        {
            blocks.Add(BlockKitRenderer.Section(":warning: " + BlockText.Escape(error)));
        }

        blocks.Add(Select(SlackActionIds.FactorTypeBlock, "Factor type",
            pairs.GroupBy(p => p.Type).Select(g => (g.Key, g.Key, string.Join(" or ", g.Select(p => p.Title))))));
        blocks.Add(Select(SlackActionIds.ProviderBlock, "Provider",
            pairs.GroupBy(p => p.Provider).Select(g => (g.Key, g.Key, string.Join(", ", g.Select(p => p.Title))))));

        var phoneFor = pairs.Where(p => p.Needs == "PhoneNumber").Select(p => p.Title).ToList();
        if (phoneFor.Count > 0 && data["needsPhone"]?.GetValue<bool>() == true)
        {
            blocks.Add(TextInput(SlackActionIds.PhoneBlock, $"Phone number (only for {string.Join(" or ", phoneFor)})",
                BlockText.Read(data, "phoneExample") ?? RequestFormCard.PhoneExample, "In international format, with the country code."));
        }

        var emailFor = pairs.Where(p => p.Needs == "Email").Select(p => p.Title).ToList();
        if (emailFor.Count > 0 && data["needsEmail"]?.GetValue<bool>() == true)
        {
            blocks.Add(TextInput(SlackActionIds.EmailBlock, $"Email address (only for {string.Join(" or ", emailFor)})",
                "name@example.com", "Where the email factor sends its codes."));
        }

        var view = new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = SlackActionIds.RequestModal,
            ["title"] = BlockText.Plain("MFA reset"),
            ["submit"] = BlockText.Plain("Request reset"),
            ["close"] = BlockText.Plain("Cancel"),
            ["blocks"] = blocks,
        };
        if (draft is not null)
        {
            // The draft id travels through the modal as the Adaptive Card form carries it in its submit data; the
            // core checks it belongs to whoever submits, so a forged one gets nothing.
            view["private_metadata"] = new JsonObject { [OnBehalfOfKey] = draft }.ToJsonString();
        }

        BlockKitLimits.FitModal(view);
        return view;
    }

    /// <summary>
    /// The form values from a <c>view_submission</c>'s <c>view.state.values</c>; null when the state lacks the selects
    /// the modal always has (a malformed or foreign payload).
    /// </summary>
    public static JsonObject? ReadSubmission(JsonObject? stateValues) => ReadSubmission(stateValues, null);

    /// <summary>
    /// As <see cref="ReadSubmission(JsonObject?)"/>, with the on-behalf draft id from the view's <c>private_metadata</c>
    /// put where the Adaptive Card form's submit data has it (<c>onBehalfOf</c>).
    /// </summary>
    public static JsonObject? ReadSubmission(JsonObject? stateValues, string? privateMetadata)
    {
        var form = ReadInputs(stateValues);
        if (form is not null && ReadDraft(privateMetadata) is { } draft)
        {
            form[OnBehalfOfKey] = draft;
        }

        return form;
    }

    /// <summary>The on-behalf draft id in a request-form card's data, when it is one this renderer may carry.</summary>
    public static string? OnBehalfDraft(JsonObject data) =>
        BlockText.Read(data, "onBehalfOf.draft") is { Length: <= MaximumDraftLength } draft ? draft : null;

    private static string? ReadDraft(string? privateMetadata)
    {
        if (string.IsNullOrWhiteSpace(privateMetadata) || privateMetadata.Length > 3000)
        {
            return null;
        }

        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(privateMetadata) is JsonObject metadata
                   && BlockText.Read(metadata, OnBehalfOfKey) is { Length: <= MaximumDraftLength } draft
                ? draft
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // not ours; the submission is then an ordinary one for the submitter
        }
    }

    private static JsonObject? ReadInputs(JsonObject? stateValues)
    {
        var type = Selected(stateValues, SlackActionIds.FactorTypeBlock);
        var provider = Selected(stateValues, SlackActionIds.ProviderBlock);
        if (type is null || provider is null)
        {
            return null;
        }

        var form = new JsonObject
        {
            ["verb"] = CardVerbs.SubmitRequest,
            [RequestFormInputs.Factor] = $"{type}{ChoiceSeparator}{provider}",
        };
        if (Typed(stateValues, SlackActionIds.PhoneBlock) is { } phone)
        {
            form[RequestFormInputs.PhoneNumber] = phone;
        }

        if (Typed(stateValues, SlackActionIds.EmailBlock) is { } email)
        {
            form[RequestFormInputs.Email] = email;
        }

        return form;
    }

    /// <summary>The modal block a form problem belongs on. A bad pair is the provider's fault once a known type is chosen.</summary>
    public static string BlockFor(FormProblem problem, JsonObject form)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(form);
        return problem.Input switch
        {
            RequestFormInputs.PhoneNumber => SlackActionIds.PhoneBlock,
            RequestFormInputs.Email => SlackActionIds.EmailBlock,
            _ when BlockText.Read(form, RequestFormInputs.Factor)?.Split(ChoiceSeparator) is [var type, _]
                   && Okta.FactorCatalog.FactorTypes.Contains(type, StringComparer.OrdinalIgnoreCase)
                   && !IsSecurityQuestion(type) => SlackActionIds.ProviderBlock,
            _ => SlackActionIds.FactorTypeBlock,
        };
    }

    private static bool IsSecurityQuestion(string type) => string.Equals(type, "question", StringComparison.OrdinalIgnoreCase);

    private static JsonObject Select(string blockId, string label, IEnumerable<(string Value, string Text, string Description)> options) => new()
    {
        ["type"] = "input",
        ["block_id"] = blockId,
        ["label"] = BlockText.Plain(label),
        ["element"] = new JsonObject
        {
            ["type"] = "static_select",
            ["action_id"] = SlackActionIds.InputAction,
            ["placeholder"] = BlockText.Plain("Choose"),
            ["options"] = new JsonArray(options.Select(o => (JsonNode)new JsonObject
            {
                ["text"] = BlockText.Plain(o.Text),
                ["value"] = o.Value,
                ["description"] = BlockText.Plain(o.Description),
            }).ToArray()),
        },
    };

    private static JsonObject TextInput(string blockId, string label, string placeholder, string hint) => new()
    {
        ["type"] = "input",
        ["block_id"] = blockId,
        ["optional"] = true,
        ["label"] = BlockText.Plain(label),
        ["hint"] = BlockText.Plain(hint),
        ["element"] = new JsonObject
        {
            ["type"] = "plain_text_input",
            ["action_id"] = SlackActionIds.InputAction,
            ["placeholder"] = BlockText.Plain(placeholder),
        },
    };

    // Each level is checked to be an object: indexing a JsonArray or JsonValue by name throws.
    private static string? Selected(JsonObject? state, string blockId) =>
        Input(state, blockId)?["selected_option"] is JsonObject option ? BlockText.Read(option, "value") : null;

    private static string? Typed(JsonObject? state, string blockId) => BlockText.Read(Input(state, blockId), "value");

    private static JsonObject? Input(JsonObject? state, string blockId) =>
        (state?[blockId] as JsonObject)?[SlackActionIds.InputAction] as JsonObject;
}
