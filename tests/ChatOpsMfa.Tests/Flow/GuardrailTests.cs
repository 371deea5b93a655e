using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>The rules that make a fraudulent reset harder, each through the real bot, SQLite and the Okta sandbox.</summary>
public class GuardrailTests : FlowTestsOnEitherStore
{
    private static readonly ChatUser Carol = new("carol", "Carol Admin", "carol@example.com");

    private static JsonObject Totp(string? onBehalfOf = null) => new()
    {
        ["verb"] = "submitRequest",
        ["factor"] = "token:software:totp|GOOGLE",
        ["onBehalfOf"] = onBehalfOf ?? "",
    };

    private static string ApprovalCardJson(FlowHost host) =>
        host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval").Visible;

    [Fact]
    public async Task Approvers_see_who_the_target_is_from_Okta_and_nothing_secret()
    {
        using var host = NewHost();

        await host.SubmitAsync(Alice, Totp());

        var card = ApprovalCardJson(host);
        foreach (var fact in new[] { "Who is this? (from Okta)", "Accountant", "Finance", "dave@example.com", "ACTIVE",
                     "push, token:software:totp", "Admin roles", "none", "Resets (30 days)", "chat email alice@example.com = Okta login" })
        {
            Assert.Contains(fact, card);
        }

        Assert.DoesNotContain("4155550101", card); // Alice's mobile phone in Okta is not shown.
    }

    [Fact]
    public async Task A_privileged_target_needs_two_distinct_approvers_and_the_card_says_why()
    {
        using var host = NewHost();
        await host.SubmitAsync(Carol, Totp());
        var request = await host.OnlyRequestAsync();
        Assert.Equal(2, request.RequiredApprovals);
        Assert.Contains("Privileged account (Okta admin role SUPER_ADMIN): needs 2 approvals from different people. 2 more approval(s) needed.",
            ApprovalCardJson(host));

        await host.ClickAsync(Bob, "approve", request.Id);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        Assert.Contains("1 more approval(s) needed", ApprovalCardJson(host));
        await host.ClickAsync(Bob, "approve", request.Id);
        Assert.Contains(host.Chat.Sent, m => m.Kind == SentKind.Ephemeral && m.Message.Text.Contains("each approver counts once", StringComparison.OrdinalIgnoreCase));

        await host.ClickAsync(Erin, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Equal(["bob", "erin"], audit.Where(a => a.Action == "Approve").Select(a => a.ActorId));
    }

    [Fact]
    public async Task Privileged_targets_are_refused_outright_when_the_policy_says_deny()
    {
        using var host = NewHost(new Dictionary<string, string?> { ["Approvals:PrivilegedPolicy"] = "Deny" });

        await host.SubmitAsync(Carol, Totp());

        Assert.Contains("not reset through chat", host.Chat.In("dm-carol").Single().Message.Text);
        Assert.Empty(await host.Store.ListInStatesAsync(Enum.GetValues<RequestState>(), CancellationToken.None));
        Assert.DoesNotContain(host.Okta.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Members_of_the_protected_group_count_as_privileged()
    {
        using var host = NewHost(new Dictionary<string, string?> { ["Approvals:ProtectedGroupId"] = OktaSandboxSeed.EveryoneGroupId });

        await host.SubmitAsync(Alice, Totp());

        Assert.Equal(2, (await host.OnlyRequestAsync()).RequiredApprovals);
        Assert.Contains("member of the protected group", ApprovalCardJson(host));
    }

    [Fact]
    public async Task Members_of_the_approver_group_in_Okta_may_approve_and_others_may_not()
    {
        using var host = NewHost(new Dictionary<string, string?>
        {
            ["Approvals:Approvers:0"] = "nobody",
            ["Approvals:Approvers:1"] = "nobody-else",
            ["Approvals:OktaGroupId"] = OktaSandboxSeed.HelpDeskGroupId,
        });
        await host.SubmitAsync(Alice, Totp());
        var request = await host.OnlyRequestAsync();

        await host.ClickAsync(new ChatUser("dave", "Dave Manager", "dave@example.com"), "approve", request.Id);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);

        await host.ClickAsync(new ChatUser("bob-chat", "Bob Helper", "bob@example.com"), "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
    }

    [Fact]
    public async Task A_second_reset_within_a_day_needs_two_approvers_and_names_the_time_of_the_last()
    {
        using var host = NewHost();
        await host.SubmitAsync(Alice, Totp());
        var first = await host.OnlyRequestAsync();
        await host.ClickAsync(Bob, "approve", first.Id);
        var done = await host.ActivateAsync(Alice, first.Id);

        await host.SubmitAsync(Alice, Totp());
        var second = (await host.Store.ListInStatesAsync([RequestState.AwaitingApproval], CancellationToken.None)).Single();

        Assert.Equal(2, second.RequiredApprovals);
        var lastAt = done.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"already reset 1 time(s) in the last 24 hours (last at {lastAt} UTC)", ApprovalCardJson(host));
        var status = host.Chat.In("dm-alice").Last(m => m.Message.Card?.Template == "status");
        Assert.Contains(lastAt, status.Visible);
        Assert.Contains("Resets (30 days)", ApprovalCardJson(host));
    }

    [Fact]
    public async Task Help_desk_can_ask_on_someones_behalf_the_target_is_told_and_an_objection_cancels()
    {
        using var host = NewHost(new Dictionary<string, string?> { ["Approvals:HelpDesk:0"] = "bob" });
        host.Chat.Directory.Add(Alice);

        await host.SayAsync(Bob, "/mfa-reset alice@example.com");
        var form = host.Chat.In("dm-bob").Single();
        var draft = form.Message.Card!.Data["onBehalfOf"]!["draft"]!.GetValue<string>();
        Assert.Contains("For Alice Example", form.Visible);
        await host.SubmitAsync(Bob, Totp(draft));

        var request = await host.OnlyRequestAsync();
        Assert.Equal(("bob", "alice@example.com"), (request.Requester.Id, request.Target.Login));
        var notice = Assert.Single(host.Chat.In("dm-alice"));
        Assert.Contains("Bob Helper from the help desk asked to reset your Okta MFA", notice.Visible);
        Assert.Contains("\"verb\":\"object\"", notice.Card!.ToJsonString());

        await host.ClickAsync(Bob, "object", request.Id, host.DirectWith(Bob));
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        await host.ClickAsync(Alice, "object", request.Id, host.DirectWith(Alice));

        Assert.Equal(RequestState.Cancelled, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        Assert.Contains(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply && m.Message.Text.Contains("says they did not ask", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Okta.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task On_behalf_activation_secrets_go_to_the_target_not_the_help_desk()
    {
        using var host = NewHost(new Dictionary<string, string?> { ["Approvals:HelpDesk:0"] = "bob" });
        var draft = await host.OnBehalfDraftAsync(Bob, Alice);
        await host.SubmitAsync(Bob, Totp(draft));
        var request = await host.OnlyRequestAsync();

        await host.ClickAsync(Bob, "approve", request.Id);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        await host.ClickAsync(Erin, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(() => host.Chat.Sent.Any(m => m.Message.Card?.Template == "result"), "the result");

        var result = Assert.Single(host.Chat.Sent, m => m.Message.Card?.Template == "result");
        Assert.Equal("dm-alice", result.Conversation.ConversationId);
    }

    [Fact]
    public async Task Only_the_help_desk_may_ask_for_someone_else_and_a_forged_form_is_refused()
    {
        using var host = NewHost(new Dictionary<string, string?> { ["Approvals:HelpDesk:0"] = "bob" });
        host.Chat.Directory.Add(Bob);

        await host.SayAsync(Alice, "/mfa-reset bob@example.com");
        Assert.Contains("Only the help desk", host.Chat.In("dm-alice").Single().Message.Text);

        await host.SubmitAsync(Alice, Totp("0123456789ABCDEF0123456789ABCDEF"));
        Assert.Contains("expired or is not yours", host.Chat.In("dm-alice").Last().Message.Text);
        Assert.Empty(await host.Store.ListInStatesAsync(Enum.GetValues<RequestState>(), CancellationToken.None));
    }

    [Fact]
    public async Task Someone_who_cannot_be_found_in_chat_cannot_be_reset_on_behalf()
    {
        using var host = NewHost(new Dictionary<string, string?> { ["Approvals:HelpDesk:0"] = "bob" });

        await host.SayAsync(Bob, "/mfa-reset dave@example.com");

        Assert.Contains("can't find that person in chat", host.Chat.In("dm-bob").Single().Message.Text);
    }
}
