using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>
/// Issue 11, point 2: the target's manager (Okta <c>managerId</c>, then their chat account) confirms in a private card
/// that it really is the target asking; approval cannot complete before that, Report cancels and alerts, and a
/// manager who cannot be reached blocks the request.
/// </summary>
public class ManagerConfirmationFlowTests : FlowTestsOnEitherStore
{
    public static readonly ChatUser Dave = new("dave", "Dave Manager", "dave@example.com");

    private FlowHost Host(string mode = "Required", bool daveInChat = true, bool daveApproves = false)
    {
        var settings = new Dictionary<string, string?> { ["Approvals:ManagerConfirmation"] = mode };
        if (daveApproves)
        {
            settings["Approvals:Approvers:2"] = "dave";
        }

        var host = NewHost(settings);
        if (daveInChat)
        {
            host.Chat.Directory.Add(Dave);
        }

        return host;
    }

    private static async Task<ResetRequest> AskAsync(FlowHost host, ChatUser who)
    {
        await host.SubmitAsync(who, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" });
        return Assert.Single(await host.AllRequestsAsync(), r => r.Requester.Id == who.Id);
    }

    private static SentMessage ManagerCard(FlowHost host) =>
        host.Chat.In("dm-dave").Last(m => m.Message.Card?.Data["title"]?.GetValue<string>()?.StartsWith("Please confirm", StringComparison.Ordinal) == true);

    [Fact]
    public async Task The_manager_gets_a_private_card_and_the_approval_completes_only_after_they_confirm()
    {
        using var host = Host();
        var request = await AskAsync(host, Alice);

        Assert.Equal(OktaSandboxSeed.DaveId, request.Manager!.OktaUserId);
        var card = ManagerCard(host);
        Assert.Contains("Confirm only if you have checked it is Alice Example, in person or on a video call.", card.Visible);
        Assert.Contains("\"verb\":\"confirmManager\"", card.Card!.ToJsonString());
        Assert.Contains("\"verb\":\"reportManager\"", card.Card.ToJsonString());
        Assert.DoesNotContain(host.Chat.In("support"), m => m.Visible.Contains("confirmManager", StringComparison.Ordinal));

        await host.ClickAsync(Bob, "approve", request.Id);
        var waiting = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RequestState.AwaitingApproval, waiting.State);
        Assert.Single(waiting.Approvals);
        Assert.Contains("waiting for Dave Manager, Alice Example's manager, to confirm", RequestPresenter.StatusText(waiting));
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");

        var confirmed = await host.ClickAsync(Dave, "confirmManager", request.Id, host.DirectWith(Dave));
        Assert.Null(confirmed.Notice);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        Assert.Contains(audit, a => a.Action == "ConfirmManager" && a.ActorId == Dave.Id);
        await host.OutboxSettledAsync();
        Assert.Contains("You confirmed it is Alice Example", ManagerCard(host).Visible);
        Assert.DoesNotContain("confirmManager", host.Chat.Latest(card.MessageId).Visible);
    }

    [Fact]
    public async Task A_manager_who_confirms_first_lets_the_one_approval_complete_the_request()
    {
        using var host = Host();
        var request = await AskAsync(host, Alice);

        await host.ClickAsync(Dave, "confirmManager", request.Id, host.DirectWith(Dave));
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        await host.ClickAsync(Bob, "approve", request.Id);

        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
    }

    [Fact]
    public async Task Report_cancels_the_request_and_alerts_the_support_thread()
    {
        using var host = Host();
        var request = await AskAsync(host, Alice);
        await host.ClickAsync(Bob, "approve", request.Id);

        await host.ClickAsync(Dave, "reportManager", request.Id, host.DirectWith(Dave));

        var cancelled = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Equal(RequestState.Cancelled, cancelled.State);
        await host.OutboxSettledAsync();
        Assert.Contains(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply
            && m.Message.Text.StartsWith("\u26a0\ufe0f Cancelled: Dave Manager, Alice Example's manager, reported this request", StringComparison.Ordinal));
        Assert.Contains(await host.Store.AuditTrailAsync(request.Id, CancellationToken.None), a => a.Action == "ReportManager");
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "resetFactors");
    }

    [Fact]
    public async Task Only_the_manager_in_okta_can_confirm_and_the_manager_cannot_also_approve()
    {
        using var host = Host(daveApproves: true);
        var request = await AskAsync(host, Alice);

        var byErin = await host.ClickAsync(Erin, "confirmManager", request.Id, host.DirectWith(Erin));
        Assert.Contains("Only Dave Manager, Alice Example's manager in Okta, can confirm", byErin.Notice);
        var byMallory = await host.ClickAsync(Mallory, "confirmManager", request.Id, host.DirectWith(Mallory));
        Assert.Contains("could not establish who you are in Okta", byMallory.Notice);

        var asApprover = await host.ClickAsync(Dave, "approve", request.Id);
        Assert.Contains("As Alice Example's manager you confirm on your own card; an approval must come from someone else", asApprover.Notice);

        var still = (await host.Store.FindAsync(request.Id, CancellationToken.None))!;
        Assert.Null(still.Manager!.ConfirmedAt);
        Assert.Empty(still.Approvals);
        Assert.Equal(RequestState.AwaitingApproval, still.State);
    }

    [Fact]
    public async Task A_manager_the_chat_does_not_know_blocks_the_request_with_the_reason()
    {
        using var host = Host(daveInChat: false);
        var request = await AskAsync(host, Alice);

        Assert.Contains("could not be found in chat", request.Manager!.Problem);
        Assert.Empty(host.Chat.In("dm-dave"));
        var card = host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval");
        Assert.Contains("Blocked: Alice Example's manager, Dave Manager, could not be found in chat", card.Visible);
        Assert.DoesNotContain("\"verb\":\"approve\"", card.Card!.ToJsonString());

        var clicked = await host.ClickAsync(Bob, "approve", request.Id);
        Assert.Contains("Approval cannot complete", clicked.Notice);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        await host.ClickAsync(Bob, "deny", request.Id);
        Assert.Equal(RequestState.Denied, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task A_target_without_a_manager_in_okta_is_blocked_when_only_privileged_targets_need_one()
    {
        using var host = Host("RequiredForPrivileged");
        var alice = await AskAsync(host, Alice);
        Assert.Null(alice.Manager);
        Assert.Empty(host.Chat.In("dm-dave"));

        var carol = await AskAsync(host, StepUpFlowTests.Carol);
        Assert.Contains("has no manager in Okta", carol.Manager!.Problem);
    }

    [Fact]
    public async Task A_manager_card_the_platform_refuses_for_good_blocks_the_request()
    {
        using var host = Host();
        host.Chat.RefuseForeverIn = "dm-dave";
        var request = await AskAsync(host, Alice);

        await Eventually.WaitUntilAsync(async () => (await host.Store.FindAsync(request.Id, CancellationToken.None))!.Manager!.Problem is not null,
            "the manager marked unreachable");
        await host.OutboxSettledAsync();
        Assert.Contains(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply && m.Message.Text.StartsWith("Blocked: Dave Manager could not be reached in chat", StringComparison.Ordinal));
        var clicked = await host.ClickAsync(Bob, "approve", request.Id);
        Assert.Contains("Approval cannot complete", clicked.Notice);
    }
}
