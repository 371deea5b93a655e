using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Slack.BlockKit;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>Block Kit rendered from the same card data as the Adaptive Cards, within Slack's limits, shortened with intent.</summary>
public sealed class BlockKitRenderingTests
{
    private static readonly FactorKind Sms = FactorCatalog.Find("sms", "OKTA")!;

    [Fact]
    public void Approval_reads_the_card_data_and_masks_the_phone()
    {
        var card = Approval(reason: "Lost my phone on the train", history: 1).ToCardContent();

        var blocks = BlockKitRenderer.RenderMessage(new ChatMessage("fallback", card));

        Assert.Empty(FakeSlackRules.MessageViolations(blocks));
        var json = Texts(blocks);
        Assert.Contains("MFA-0042", json);
        Assert.Contains("alice@example.com", json);
        Assert.Contains(card.Data["destination"]!.GetValue<string>(), json);
        Assert.DoesNotContain("4155550123", json);
        Assert.Contains("Lost my phone on the train", json);
        Assert.Contains("Bob Helper: Approved", json);
    }

    [Fact]
    public void User_text_cannot_become_a_link_or_a_mention()
    {
        var card = Approval(requesterName: "<!channel> <https://evil.example|click>").ToCardContent();

        var json = Texts(BlockKitRenderer.RenderMessage(new ChatMessage("x", card)));

        Assert.DoesNotContain("<!channel>", json);
        Assert.DoesNotContain("<https://evil.example", json);
        Assert.Contains("&lt;!channel&gt;", json);
    }

    [Fact]
    public void Oversized_content_is_shortened_and_says_what_was_cut()
    {
        var card = Approval(reason: new string('r', 5000), history: 30).ToCardContent();
        var raw = BlockKitRenderer.RenderMessage(new ChatMessage("x", card), out var cuts);

        Assert.Empty(FakeSlackRules.MessageViolations(raw));
        Assert.NotEmpty(cuts);
        var json = Texts(raw);
        Assert.Contains("characters cut]", json);
        Assert.Contains("more item(s) cut", json);
    }

    [Fact]
    public void More_than_fifty_blocks_are_cut_to_fifty_with_a_note()
    {
        var blocks = new JsonArray(Enumerable.Range(0, 70).Select(i => (JsonNode)BlockKitRenderer.Section("line " + i)).ToArray());

        var cuts = BlockKitLimits.FitMessage(blocks);

        Assert.Equal(50, blocks.Count);
        Assert.Contains("21 more block(s) were cut", blocks[^1]!.ToJsonString());
        Assert.Single(cuts);
    }

    [Fact]
    public void Long_button_text_and_modal_title_are_shortened()
    {
        var view = new JsonObject
        {
            ["type"] = "modal",
            ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "A modal title that is far too long" },
            ["submit"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Go" },
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray(new JsonObject
                {
                    ["type"] = "button",
                    ["action_id"] = "a",
                    ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = new string('b', 120) },
                }),
            }),
        };

        BlockKitLimits.FitModal(view);

        Assert.Empty(FakeSlackRules.ModalViolations(view));
        Assert.True(view["title"]!["text"]!.GetValue<string>().Length <= 24);
        Assert.EndsWith("characters cut]", view["blocks"]![0]!["elements"]![0]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Shorten_keeps_the_limit_and_counts_exactly()
    {
        var text = new string('x', 3100);

        var shortened = BlockKitLimits.Shorten(text, 3000);

        Assert.InRange(shortened.Length, 2990, 3000);
        var kept = shortened.IndexOf('…', StringComparison.Ordinal);
        Assert.EndsWith($"[{3100 - kept} characters cut]", shortened);
    }

    [Fact]
    public void Request_modal_comes_from_the_request_form_data_and_is_valid()
    {
        var form = MfaResetBot.FormMessage;
        var view = RequestModal.Render(form.Card!, form.Text);

        Assert.Empty(FakeSlackRules.ModalViolations(view));
        var offeredPairs = form.Card!.Data["factors"]!.AsArray().Select(f => f!["value"]!.GetValue<string>()).ToList();
        var types = view["blocks"]!.AsArray().Single(b => b!["block_id"]?.GetValue<string>() == "factorType")!["element"]!["options"]!.AsArray();
        Assert.Equal(offeredPairs.Select(p => p.Split('|')[0]).Distinct(), types.Select(o => o!["value"]!.GetValue<string>()));
        Assert.Contains(view["blocks"]!.AsArray(), b => b!["block_id"]?.GetValue<string>() == "phoneNumber" && b["optional"]!.GetValue<bool>());
        Assert.Contains(view["blocks"]!.AsArray(), b => b!["block_id"]?.GetValue<string>() == "email");
    }

    [Fact]
    public void Status_and_result_render_within_limits_with_the_secret_only_in_the_result()
    {
        var status = new StatusCardData("r1", "MFA-0001", Sms, "Waiting", "Someone will check.", [CardAction.Cancel]).ToCardContent();
        var result = new ResultCardData("MFA-0001", FactorCatalog.Find("token:software:totp", "GOOGLE")!, "uft1", "PENDING_ACTIVATION",
            "Scan the code.", "JBSWY3DPEHPK3PXP", QrCodeImage.Render("otpauth://totp/x:y?secret=JBSWY3DPEHPK3PXP", "QR", "qr.png")).ToCardContent();

        var statusBlocks = BlockKitRenderer.RenderMessage(new ChatMessage("s", status));
        var resultBlocks = BlockKitRenderer.RenderMessage(new ChatMessage("r", result));

        Assert.Empty(FakeSlackRules.MessageViolations(statusBlocks));
        Assert.Empty(FakeSlackRules.MessageViolations(resultBlocks));
        Assert.Contains("cancel", statusBlocks.ToJsonString());
        Assert.Contains("JBSWY3DPEHPK3PXP", resultBlocks.ToJsonString());
        Assert.DoesNotContain("data:image", resultBlocks.ToJsonString());
        Assert.Contains("image just below", resultBlocks.ToJsonString());
    }

    [Fact]
    public void Approval_shows_every_target_fact_in_sections_of_at_most_ten_fields_with_the_note_and_the_problem()
    {
        var facts = Enumerable.Range(1, 12).Select(i => new CardFact("Fact " + i, "value " + i)).ToList();
        facts.Add(new CardFact("Title", "<!here> Head of <https://evil.example|IT>"));
        var card = (Approval() with
        {
            TargetFacts = facts,
            ApprovalNote = "Carol has admin roles (SUPER_ADMIN). 2 more approval(s) needed.",
            Problem = "Okta refused the enrolment: the phone number is not valid.",
        }).ToCardContent();

        var blocks = BlockKitRenderer.RenderMessage(new ChatMessage("fallback", card), out var cuts);

        Assert.Empty(FakeSlackRules.MessageViolations(blocks));
        Assert.Empty(cuts);
        var factSections = blocks.Where(b => b?["fields"] is JsonArray f && f.Any(x => x!["text"]!.GetValue<string>().StartsWith("*Fact ", StringComparison.Ordinal)))
            .ToList();
        Assert.Equal([10, 3], factSections.Select(b => b!["fields"]!.AsArray().Count));
        var json = Texts(blocks);
        Assert.All(Enumerable.Range(1, 12), i => Assert.Contains($"*Fact {i}*\nvalue {i}", json));
        Assert.Contains("Who is this? (from Okta)", json);
        Assert.Contains("2 more approval(s) needed", json);
        Assert.Contains("Okta refused the enrolment", json);
        Assert.DoesNotContain("<!here>", json);
        Assert.DoesNotContain("<https://evil.example", json);

        // The note comes before the facts and the buttons last, as in the Adaptive Card.
        var order = blocks.Select(b => Texts(b)).ToList();
        Assert.True(order.FindIndex(t => t.Contains("more approval(s)", StringComparison.Ordinal))
            < order.FindIndex(t => t.Contains("Who is this?", StringComparison.Ordinal)));
        Assert.Equal("actions", blocks[^1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Status_title_replaces_the_heading_and_the_object_button_is_danger_with_a_confirmation()
    {
        var notice = new StatusCardData("r1", "MFA-0007", Sms, "Bob asked to reset your MFA.", null, [CardAction.Object],
            Title: "A reset of your MFA was requested (MFA-0007)").ToCardContent();

        var blocks = BlockKitRenderer.RenderMessage(new ChatMessage("n", notice));

        Assert.Empty(FakeSlackRules.MessageViolations(blocks));
        Assert.Equal("A reset of your MFA was requested (MFA-0007)", blocks[0]!["text"]!["text"]!.GetValue<string>());
        var button = blocks.Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!.AsArray().Single()!;
        Assert.Equal("object", button["action_id"]!.GetValue<string>());
        Assert.Equal("danger", button["style"]!.GetValue<string>());
        Assert.Equal("r1", button["value"]!.GetValue<string>());
        Assert.NotNull(button["confirm"]);
    }

    [Fact]
    public void On_behalf_form_carries_its_draft_to_the_modal_and_back_into_the_submission()
    {
        var form = RequestFormCard.Create(FactorCatalog.All);
        form.Data["onBehalfOf"] = new JsonObject { ["draft"] = "0123456789ABCDEF0123456789ABCDEF", ["name"] = "Alice Example" };

        var view = RequestModal.Render(form, "Which factor should Alice Example set up?");
        var invitation = BlockKitRenderer.RenderMessage(new ChatMessage("Which factor?", form));

        Assert.Empty(FakeSlackRules.ModalViolations(view));
        Assert.Contains("For Alice Example, asked by the help desk", Texts(view));
        var metadata = view["private_metadata"]!.GetValue<string>();
        var values = new JsonObject
        {
            ["factorType"] = new JsonObject { ["value"] = new JsonObject { ["selected_option"] = new JsonObject { ["value"] = "push" } } },
            ["provider"] = new JsonObject { ["value"] = new JsonObject { ["selected_option"] = new JsonObject { ["value"] = "OKTA" } } },
        };
        Assert.Equal("0123456789ABCDEF0123456789ABCDEF", RequestModal.ReadSubmission(values, metadata)!["onBehalfOf"]!.GetValue<string>());
        Assert.Null(RequestModal.ReadSubmission(values, "not json")!["onBehalfOf"]);
        Assert.Null(RequestModal.ReadSubmission(values)!["onBehalfOf"]);
        Assert.Null(RequestModal.Render(RequestFormCard.Create(FactorCatalog.All), "x")["private_metadata"]);

        // In a DM the form is a button; its value carries the draft to the modal it opens.
        var button = invitation.Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]![0]!;
        Assert.Contains("0123456789ABCDEF0123456789ABCDEF", button["value"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("totp, 5 left", "token:software:totp", true, 5, false, "enterCode:Enter the code (5 attempt(s) left)")]
    [InlineData("totp, 1 left", "token:software:totp", true, 1, false, "enterCode:Enter the code (1 attempt(s) left)")]
    [InlineData("sms, with a resend", "sms", true, 3, true, "enterCode:Enter the code (3 attempt(s) left)|resendCode:Send a new code")]
    [InlineData("push, waiting for the scan", "push", false, 5, false, "")]
    [InlineData("ended, no tries left", "token:software:totp", false, 0, false, "")]
    [InlineData("done", "sms", false, 2, false, "")]
    public void Activation_card_renders_within_Slacks_rules_and_offers_the_code_button_only_while_it_accepts_a_code(
        string variant, string factorType, bool acceptsCode, int attemptsLeft, bool resend, string expected)
    {
        var kind = FactorCatalog.Offered.First(k => k.FactorType == factorType);
        var card = new ActivationCardData("req-1", "MFA-0042", kind, $"Finish setting up {kind.Label}", variant, "Type it here.",
            acceptsCode, attemptsLeft, resend ? [CardAction.ResendCode] : [],
            acceptsCode ? DateTimeOffset.Parse("2026-01-02T03:34:05Z", System.Globalization.CultureInfo.InvariantCulture) : null).ToCardContent();

        var blocks = BlockKitRenderer.RenderMessage(new ChatMessage("fallback", card));

        Assert.Empty(FakeSlackRules.MessageViolations(blocks));
        var buttons = blocks.Where(b => b!["type"]!.GetValue<string>() == "actions").SelectMany(b => b!["elements"]!.AsArray()).ToList();
        Assert.Equal(expected, string.Join("|", buttons.Select(b => $"{b!["action_id"]}:{b["text"]!["text"]}")));
        Assert.All(buttons, b => Assert.Equal("req-1", b!["value"]!.GetValue<string>()));
        Assert.Equal(buttons.Count, buttons.Select(b => b!["action_id"]!.GetValue<string>()).Distinct().Count());
        var json = Texts(blocks);
        Assert.Contains("MFA-0042", json);
        Assert.Contains(variant, json);
        Assert.Equal(acceptsCode, json.Contains("Finish by", StringComparison.Ordinal));
    }

    [Fact]
    public void Activation_card_text_cannot_become_a_link_or_a_mention()
    {
        var blocks = BlockKitRenderer.RenderMessage(new ChatMessage("x", Cards.CardSamples.TemplateCases["activation, ended, hostile text"]));

        Assert.Empty(FakeSlackRules.MessageViolations(blocks));
        var markdown = blocks.Select(b => b!["text"]).Where(t => t?["type"]?.GetValue<string>() == "mrkdwn").Select(t => t!["text"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(markdown);
        Assert.All(markdown, t => Assert.DoesNotContain("<", t, StringComparison.Ordinal));
        Assert.Contains(markdown, t => t.Contains("&lt;/script&gt;", StringComparison.Ordinal));
        Assert.DoesNotContain("actions", blocks.Select(b => b!["type"]!.GetValue<string>()));
    }

    /// <summary>Every string in the blocks, unescaped (ToJsonString would escape &amp;, &lt; and non-ASCII).</summary>
    private static string Texts(JsonNode? node) => node switch
    {
        JsonObject obj => string.Join("\n", obj.Select(p => Texts(p.Value))),
        JsonArray array => string.Join("\n", array.Select(Texts)),
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => "",
    };

    private static ApprovalCardData Approval(string? reason = null, int history = 0, string requesterName = "Alice Example") => new(
        "req-1",
        "MFA-0042",
        new ChatUser("UALICE", requesterName, "alice@example.com"),
        "alice@example.com",
        "Alice Example",
        Sms,
        DateTimeOffset.Parse("2026-01-02T03:04:05Z", System.Globalization.CultureInfo.InvariantCulture),
        "Waiting for approval by the help desk.",
        Enumerable.Range(0, history).Select(i => new DecisionEntry(i == 0 ? "Bob Helper" : "Person " + i, "Approved",
            DateTimeOffset.Parse("2026-01-02T03:05:00Z", System.Globalization.CultureInfo.InvariantCulture))).ToList(),
        [CardAction.Approve, CardAction.Deny],
        PhoneNumber: "+14155550123",
        Reason: reason);
}
