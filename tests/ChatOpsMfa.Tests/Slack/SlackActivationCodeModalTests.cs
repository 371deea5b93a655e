using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Slack.BlockKit;
using ChatOpsMfa.Okta;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// The code is typed in a modal: the <c>enterCode</c> button in the person's DM opens it (views.open with the click's
/// trigger id), and its submission is acknowledged at once and handed to the core as <c>activate</c> with the request id
/// and the code, in the person's DM; the core's notice is shown to that person alone. The code never reaches a log.
/// </summary>
public sealed class SlackActivationCodeModalTests
{
    private const string Code = "739153";

    [Fact]
    public async Task The_enter_code_button_in_a_dm_opens_the_code_modal_for_that_request()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var click = SlackPayloads.Click("UALICE", CardVerbs.EnterCode, "req-42", "DALICE", "1700000000.000100", "7.1");

        var ack = await host.InteractAsync(click);

        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.open").Any(), "views.open");
        var open = slack.CallsTo("views.open").Single();
        Assert.True(open.Ok, open.Answer.ToJsonString());
        Assert.Equal("trigger-7.1", open.Body["trigger_id"]!.GetValue<string>());
        var view = open.Body["view"]!.AsObject();
        Assert.Equal(("mfa_activation_code", "req-42"), (view["callback_id"]!.GetValue<string>(), view["private_metadata"]!.GetValue<string>()));
        var input = view["blocks"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "input")!;
        Assert.Equal("6-digit code", input["label"]!["text"]!.GetValue<string>());
        var element = input["element"]!;
        Assert.Equal(("plain_text_input", ActivationInputs.PassCode, 6, 8),
            (element["type"]!.GetValue<string>(), element["action_id"]!.GetValue<string>(), element["min_length"]!.GetValue<int>(), element["max_length"]!.GetValue<int>()));
    }

    [Fact]
    public async Task The_enter_code_button_outside_a_dm_opens_nothing()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);
        var click = SlackPayloads.Click("UMALLORY", CardVerbs.EnterCode, "req-42", SlackTestHost.SupportChannel, "1700000000.000100", "7.2");

        await host.PostSignedRunsNothingAsync("/api/slack/interactions", SlackPayloads.Form("payload", click.ToJsonString()),
            "application/x-www-form-urlencoded", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_submission_is_acknowledged_first_then_reaches_the_core_as_activate_with_the_code_in_the_dm()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var core = new RecordingInboundHandler(open: false) { Notice = "That code did not match. 4 attempts left." };
        using var host = new SlackTestHost(slack, services: s => s.AddSingleton<IInboundHandler>(core));

        var ack = await host.InteractAsync(SlackPayloads.CodeSubmission("UALICE", "VCODE1", "req-42", Code));

        // Answered (the modal closes) while the core has not finished: nothing waited on it.
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal("", await ack.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(core.Handled.Task.IsCompleted);
        await Eventually.WaitUntilAsync(() => core.Received.Count > 0, "the submission at the core");
        core.Gate.SetResult();

        var message = Assert.Single(core.Received);
        Assert.Equal(("DALICE", false), (message.Conversation.ConversationId, message.Conversation.IsGroup));
        Assert.Equal(("UALICE", "alice@example.com"), (message.From.Id, message.From.Email));
        Assert.Equal(CardVerbs.Activate, message.Value!["verb"]!.GetValue<string>());
        Assert.Equal("req-42", message.Value["requestId"]!.GetValue<string>());
        Assert.Equal(Code, message.Value[ActivationInputs.PassCode]!.GetValue<string>());
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postEphemeral").Any(), "the core's notice");
        var notice = slack.CallsTo("chat.postEphemeral").Single();
        Assert.Equal(("DALICE", "UALICE"), (notice.Channel, notice.Body["user"]!.GetValue<string>()));
        Assert.Contains("4 attempts left", notice.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeated_submission_reaches_the_core_once()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var core = new RecordingInboundHandler();
        using var host = new SlackTestHost(slack, services: s => s.AddSingleton<IInboundHandler>(core));

        await host.InteractAsync(SlackPayloads.CodeSubmission("UALICE", "VCODE2", "req-42", Code));
        await host.InteractAsync(SlackPayloads.CodeSubmission("UALICE", "VCODE2", "req-42", Code), retryNum: 1);

        await core.Handled.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Single(core.Received);
    }

    [Theory]
    [InlineData("12ab56")]
    [InlineData("12345")]
    [InlineData("123456789")]
    [InlineData("")]
    public async Task A_code_that_is_not_6_to_8_digits_is_answered_in_the_modal_and_changes_nothing(string typed)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var core = new RecordingInboundHandler();
        using var host = new SlackTestHost(slack, services: s => s.AddSingleton<IInboundHandler>(core));

        var ack = await host.InteractAsync(SlackPayloads.CodeSubmission("UALICE", "VBAD", "req-42", typed));

        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var body = JsonNode.Parse(await ack.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.Equal("errors", body["response_action"]!.GetValue<string>());
        Assert.NotNull(body["errors"]![ActivationInputs.PassCode]);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Empty(core.Received);
        Assert.Empty(slack.Calls);
    }

    [Fact]
    public async Task The_code_is_in_no_log_line_and_no_message_back_to_slack()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var core = new RecordingInboundHandler { Notice = "That code did not match." };
        using var host = new SlackTestHost(slack, services: s => s.AddSingleton<IInboundHandler>(core));
        // The paths that log: a good submission, its retry (the dedup path), a foreign workspace's, a malformed one.
        var foreign = SlackPayloads.CodeSubmission("UALICE", "VLOG2", "req-42", Code);
        foreign["team"]!["id"] = "TOTHER";
        foreign["user"]!["team_id"] = "TOTHER";
        var noRequest = SlackPayloads.CodeSubmission("UALICE", "VLOG3", "req-42", Code);
        noRequest["view"]!.AsObject().Remove("private_metadata");

        await host.InteractAsync(SlackPayloads.CodeSubmission("UALICE", "VLOG1", "req-42", Code));
        await host.InteractAsync(SlackPayloads.CodeSubmission("UALICE", "VLOG1", "req-42", Code), retryNum: 1);
        await host.InteractAsync(foreign);
        await host.InteractAsync(noRequest);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postEphemeral").Any(), "the core's notice");

        Assert.Single(core.Received);
        Assert.NotEmpty(host.Logs.Lines);
        Assert.DoesNotContain(Code, host.Logs.AllText, StringComparison.Ordinal);
        Assert.All(slack.AllCalls, c => Assert.DoesNotContain(Code, c.AllText, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(CardVerbs.ResendCode)]
    [InlineData(CardVerbs.Activate)]
    public async Task Resend_and_activate_buttons_pass_through_to_the_core(string verb)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var core = new RecordingInboundHandler();
        using var host = new SlackTestHost(slack, services: s => s.AddSingleton<IInboundHandler>(core));

        await host.InteractAsync(SlackPayloads.Click("UALICE", verb, "req-42", "DALICE", "1700000000.000100", "8.1"));

        await core.Handled.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        var message = Assert.Single(core.Received);
        Assert.Equal((verb, "req-42", "DALICE"),
            (message.Value!["verb"]!.GetValue<string>(), message.Value["requestId"]!.GetValue<string>(), message.Conversation.ConversationId));
        Assert.Empty(slack.CallsTo("views.open"));
    }

    [Fact]
    public void An_activate_action_renders_as_the_one_button_that_opens_the_code_modal()
    {
        var card = new StatusCardData("req-42", "MFA-0042", FactorCatalog.Find("token:software:totp", "GOOGLE")!, "Waiting for your code",
            "Enter the code from your app.",
            [new CardAction(CardVerbs.Activate, "Enter the code", CardAction.PositiveStyle), new CardAction(CardVerbs.EnterCode, "Enter the code"),
                new CardAction(CardVerbs.ResendCode, "Send a new code")]).ToCardContent();

        var blocks = BlockKitRenderer.RenderMessage(new ChatMessage("Enter the code", card));

        Assert.Empty(FakeSlackRules.MessageViolations(blocks));
        var buttons = blocks.Single(b => b!["block_id"]?.GetValue<string>() == SlackActionIds.ActionsBlock)!["elements"]!.AsArray();
        Assert.Equal([CardVerbs.EnterCode, CardVerbs.ResendCode], buttons.Select(b => b!["action_id"]!.GetValue<string>()));
        Assert.All(buttons, b => Assert.Equal("req-42", b!["value"]!.GetValue<string>()));
    }

    [Fact]
    public void The_code_modal_passes_slacks_modal_rules()
    {
        Assert.Empty(FakeSlackRules.ModalViolations(ActivationCodeModal.Render(new string('r', 64))));
    }
}
