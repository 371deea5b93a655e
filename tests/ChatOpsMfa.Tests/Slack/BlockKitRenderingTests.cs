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
            "Scan the code.", "JBSWY3DPEHPK3PXP", new Uri("https://example.okta.com/qr")).ToCardContent();

        var statusBlocks = BlockKitRenderer.RenderMessage(new ChatMessage("s", status));
        var resultBlocks = BlockKitRenderer.RenderMessage(new ChatMessage("r", result));

        Assert.Empty(FakeSlackRules.MessageViolations(statusBlocks));
        Assert.Empty(FakeSlackRules.MessageViolations(resultBlocks));
        Assert.Contains("cancel", statusBlocks.ToJsonString());
        Assert.Contains("JBSWY3DPEHPK3PXP", resultBlocks.ToJsonString());
        Assert.Contains("https://example.okta.com/qr", resultBlocks.ToJsonString());
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
