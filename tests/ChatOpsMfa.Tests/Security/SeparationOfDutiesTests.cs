using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Flow;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Security;

/// <summary>
/// Separation of duties fails closed: whoever approves, denies or retries must be an Okta user the bot can name, and
/// requester, target and approvers are told apart by Okta user id, never by chat ids or email strings. Each test is
/// an attack through the real bot, SQLite and the Okta sandbox.
/// </summary>
public sealed class SeparationOfDutiesTests
{
    private static readonly ChatUser Dave = new("dave", "Dave Manager", "dave@example.com");
    private static readonly ChatUser Carol = new("carol", "Carol Admin", "carol@example.com");

    /// <summary>The request form for a TOTP factor, on <paramref name="draft"/>'s behalf when one is given.</summary>
    private static JsonObject Form(string? draft = null)
    {
        var form = new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" };
        if (draft is not null)
        {
            form["onBehalfOf"] = draft;
        }

        return form;
    }

    private static async Task<RequestState> StateOfAsync(FlowHost host, string requestId) =>
        (await host.Store.FindAsync(requestId, CancellationToken.None))!.State;

    /// <summary>The click changed nothing: the request still waits, Okta was not written to, and the clicker was told why.</summary>
    private static async Task AssertRefusedAsync(FlowHost host, string requestId, ChatUser clicker, string reason, StringComparison comparison = StringComparison.Ordinal)
    {
        Assert.Equal(RequestState.AwaitingApproval, await StateOfAsync(host, requestId));
        Assert.Contains(reason, NoticesTo(host, clicker), comparison);
        Assert.DoesNotContain(host.Okta.Requests, r => r.Method == "POST");
    }

    private static string NoticesTo(FlowHost host, ChatUser user) => string.Join("\n",
        host.Chat.Sent.Where(m => m.Kind == SentKind.Ephemeral && m.OnlyFor?.Id == user.Id).Select(m => m.Message.Text));

    [Fact]
    public async Task A_listed_approver_with_no_email_cannot_approve_a_reset_of_his_own_Okta_account_from_a_second_account()
    {
        // Dave's second chat account has no email; it is listed as an approver by its chat id.
        var daveSecond = new ChatUser("dave-2", "Dave (second account)");
        using var host = new FlowHost(new Dictionary<string, string?> { ["Approvals:Approvers:2"] = daveSecond.Id });
        await host.SubmitAsync(Dave, Form());
        var request = await host.OnlyRequestAsync();

        await host.ClickAsync(daveSecond, "approve", request.Id);
        await host.ClickAsync(daveSecond, "deny", request.Id);

        Assert.Equal(RequestState.AwaitingApproval, await StateOfAsync(host, request.Id));
        Assert.DoesNotContain(host.Okta.Requests, r => r.Method == "POST");
        var notices = NoticesTo(host, daveSecond);
        Assert.Contains("could not establish who you are in Okta", notices);
        Assert.Contains("no email address", notices);
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Equal(["Requested", "ApproveRefused", "DenyRefused"], audit.Select(a => a.Action));
    }

    [Fact]
    public async Task An_approver_whose_Okta_lookup_fails_cannot_approve_and_is_told_why()
    {
        using var host = new FlowHost();
        await host.SubmitAsync(Alice, Form());
        var request = await host.OnlyRequestAsync();

        host.Okta.FailNext(500, operationId: "getUser");
        await host.ClickAsync(Erin, "approve", request.Id);

        await AssertRefusedAsync(host, request.Id, Erin, "could not establish who you are in Okta");

        // Once Okta answers, the same approver may approve: only the unknown identity was refused.
        await host.ClickAsync(Erin, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
    }

    [Fact]
    public async Task A_listed_approver_unknown_to_Okta_cannot_approve()
    {
        using var host = new FlowHost(new Dictionary<string, string?> { ["Approvals:Approvers:2"] = Mallory.Id });
        await host.SubmitAsync(Alice, Form());
        var request = await host.OnlyRequestAsync();

        await host.ClickAsync(Mallory, "approve", request.Id);

        await AssertRefusedAsync(host, request.Id, Mallory, "could not establish who you are in Okta");
    }

    [Theory]
    [InlineData("SUSPENDED")]
    [InlineData("DEPROVISIONED")]
    public async Task A_listed_approver_whose_Okta_account_is_not_active_cannot_approve(string status)
    {
        var frank = new ChatUser("frank", "Frank Former", "frank@example.com");
        using var host = new FlowHost(new Dictionary<string, string?> { ["Approvals:Approvers:2"] = frank.Id });
        host.Okta.AddUser(frank.Email!, "Frank", "Former", status);
        await host.SubmitAsync(Alice, Form());
        var request = await host.OnlyRequestAsync();

        await host.ClickAsync(frank, "approve", request.Id);

        Assert.Equal(RequestState.AwaitingApproval, await StateOfAsync(host, request.Id));
        Assert.Contains($"your Okta account is {status}", NoticesTo(host, frank));
    }

    [Fact]
    public async Task An_approver_whose_Okta_user_cannot_be_established_cannot_retry()
    {
        var daveSecond = new ChatUser("dave-2", "Dave (second account)");
        using var host = new FlowHost(new Dictionary<string, string?> { ["Approvals:Approvers:2"] = daveSecond.Id });
        host.Okta.FailNext(400, "E0000001", "Api validation failed: factorEnrollRequest", operationId: "enrollFactor");
        await host.SubmitAsync(Alice, Form());
        var request = await host.OnlyRequestAsync();
        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.EnrollFailed);
        var enrolments = host.Okta.Requests.Count(r => r.OperationId == "enrollFactor");

        await host.ClickAsync(daveSecond, "retry", request.Id);
        host.Okta.FailNext(503, operationId: "getUser");
        await host.ClickAsync(Erin, "retry", request.Id);

        Assert.Equal(RequestState.EnrollFailed, await StateOfAsync(host, request.Id));
        Assert.Equal(enrolments, host.Okta.Requests.Count(r => r.OperationId == "enrollFactor"));
        Assert.Contains("could not establish who you are in Okta", NoticesTo(host, daveSecond));
        Assert.Contains("could not establish who you are in Okta", NoticesTo(host, Erin));
    }

    [Fact]
    public async Task A_second_chat_account_of_the_help_desk_requester_cannot_approve_its_own_on_behalf_request()
    {
        // Bob files for Alice from one chat account and approves from another that maps to the same Okta user.
        var bobSecond = new ChatUser("bob-2", "Bob (other chat)", "bob@example.com");
        using var host = new FlowHost(new Dictionary<string, string?>
        {
            ["Approvals:HelpDesk:0"] = Bob.Id,
            ["Approvals:Approvers:2"] = bobSecond.Id,
        });
        await host.SubmitAsync(Bob, Form(await host.OnBehalfDraftAsync(Bob, Alice)));
        var request = await host.OnlyRequestAsync();
        Assert.Equal(1, request.RequiredApprovals);

        await host.ClickAsync(bobSecond, "approve", request.Id);

        await AssertRefusedAsync(host, request.Id, bobSecond, "the requester cannot decide their own request", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Two_chat_accounts_of_one_Okta_user_count_as_one_approval()
    {
        // Carol is privileged (SUPER_ADMIN): two different people must approve.
        var bobSecond = new ChatUser("bob-2", "Bob (other chat)", "bob@example.com");
        using var host = new FlowHost(new Dictionary<string, string?> { ["Approvals:Approvers:2"] = bobSecond.Id });
        await host.SubmitAsync(Carol, Form());
        var request = await host.OnlyRequestAsync();
        Assert.Equal(2, request.RequiredApprovals);

        await host.ClickAsync(Bob, "approve", request.Id);
        await host.ClickAsync(bobSecond, "approve", request.Id);

        await AssertRefusedAsync(host, request.Id, bobSecond, "each approver counts once", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_targets_second_chat_account_cannot_approve_even_with_another_email_string()
    {
        // Same Okta user, different strings: the chat gives the login in capitals with spaces around it.
        var aliceSecond = new ChatUser("alice-2", "Alice (other chat)", " ALICE@EXAMPLE.COM ");
        using var host = new FlowHost(new Dictionary<string, string?> { ["Approvals:Approvers:2"] = aliceSecond.Id });
        await host.SubmitAsync(Alice, Form());
        var request = await host.OnlyRequestAsync();

        await host.ClickAsync(aliceSecond, "approve", request.Id);

        await AssertRefusedAsync(host, request.Id, aliceSecond, "the person being reset cannot approve their own reset", StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_help_desk_member_whose_Okta_user_is_unknown_cannot_ask_on_someones_behalf()
    {
        // Listed as help desk by chat id, but with no email: approvers could not be told apart from them.
        var desk = new ChatUser("desk-2", "Desk (no email)");
        using var host = new FlowHost(new Dictionary<string, string?> { ["Approvals:HelpDesk:0"] = desk.Id });
        var form = Form(await host.OnBehalfDraftAsync(desk, Alice));

        await host.SubmitAsync(desk, form);

        Assert.Contains("could not establish who you are in Okta", host.Chat.In("dm-desk-2").Last().Message.Text);
        Assert.Empty(await host.AllRequestsAsync());
        Assert.DoesNotContain(host.Chat.In("dm-alice"), _ => true);
    }
}
