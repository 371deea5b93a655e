using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// <c>Identity:Binding=OktaAttribute</c> in Slack: a Slack user is an Okta user only when that user's profile attribute
/// (<c>Identity:SlackUserIdAttribute</c>) holds their Slack user id, found with Okta's user search. An email that
/// matches proves nothing here: there is no email fallback, for the requester nor for an approver.
/// </summary>
public sealed class SlackIdentityBindingTests
{
    private static Dictionary<string, string?> Settings() => SlackApprovalRun.StepUp(
        ("Identity:Binding", "OktaAttribute"),
        ("Identity:SlackUserIdAttribute", "slackUserId"));

    [Fact]
    public async Task A_slack_user_named_in_the_okta_attribute_is_identified_and_the_card_says_how()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, Settings());
        host.Okta.SetProfileAttribute(OktaSandboxSeed.AliceId, "slackUserId", "UALICE");
        host.Okta.SetProfileAttribute(OktaSandboxSeed.BobId, "slackUserId", "UBOB");

        var run = await SlackApprovalRun.SubmitAsync(host);

        Assert.Equal(OktaSandboxSeed.AliceId, run.Request.Target.OktaUserId);
        var card = await run.MessageShowingAsync(run.ApprovalTs, "Slack user id UALICE = Okta profile.slackUserId");
        Assert.Contains("*Identity*\nSlack user id UALICE = Okta profile.slackUserId", SlackApprovalRun.BlockTexts(card), StringComparison.Ordinal);
        var search = Assert.Single(host.Okta.Requests, r => r.OperationId == "listUsers" && Uri.UnescapeDataString(r.Query.Replace('+', ' ')).Contains("UALICE", StringComparison.Ordinal));
        Assert.Contains("profile.slackUserId eq \"UALICE\"", Uri.UnescapeDataString(search.Query.Replace('+', ' ')), StringComparison.Ordinal);

        // Bob, found by his attribute too, approves with his push and the recovery goes on.
        await run.ApproveAsync("UBOB");
        var push = await run.PushForAsync(OktaSandboxSeed.BobId);
        Assert.True(host.Okta.ApprovePushChallenge(OktaSandboxSeed.BobId, push.TransactionId));
        await host.WaitForAsync(r => r.Id == run.Request.Id && r.State == RequestState.AwaitingActivation, "the enrolled request");
    }

    [Fact]
    public async Task A_slack_user_whose_email_matches_but_whose_id_is_not_in_the_attribute_is_refused()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        // Someone's Slack profile says alice@example.com, but Alice's Okta profile names another Slack user id.
        slack.Users["UIMPOSTOR"] = ("Alice Example", "alice@example.com");
        using var host = new SlackTestHost(slack, Settings());
        host.Okta.SetProfileAttribute(OktaSandboxSeed.AliceId, "slackUserId", "UALICE");

        var submitted = await host.InteractAsync(SlackPayloads.ViewSubmission("UIMPOSTOR", "VFORM", "token:software:totp", "GOOGLE"));

        Assert.Equal(System.Net.HttpStatusCode.OK, submitted.StatusCode);
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DIMPOSTOR"), "the answer in the DM");
        var answer = slack.CallsTo("chat.postMessage").Single(c => c.Channel == "DIMPOSTOR").Body["text"]!.GetValue<string>();
        Assert.Equal("No Okta account has your Slack user id in profile.slackUserId. Please call the help desk.", answer);
        Assert.Empty(await host.AllRequestsAsync());
        Assert.DoesNotContain(slack.CallsTo("chat.postMessage"), c => c.Channel == SlackTestHost.SupportChannel);
        // Okta was searched by the Slack id; the email was never looked up as a login.
        Assert.Contains(host.Okta.Requests, r => r.OperationId == "listUsers" && r.Query.Contains("UIMPOSTOR", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Okta.Requests, r => r.OperationId == "getUser" && r.Path.Contains("alice", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_manager_is_reached_by_the_slack_id_in_their_okta_profile_not_by_email()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?>(Settings()) { ["Approvals:ManagerConfirmation"] = "Required" });
        host.Okta.SetProfileAttribute(OktaSandboxSeed.AliceId, "slackUserId", "UALICE");
        host.Okta.SetProfileAttribute(OktaSandboxSeed.DaveId, "slackUserId", "UDAVE");

        var run = await SlackApprovalRun.SubmitAsync(host);

        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DDAVE"), "the manager's card");
        Assert.Contains(slack.CallsTo("conversations.open"), c => c.Body["users"]!.GetValue<string>() == "UDAVE");
        Assert.DoesNotContain(slack.CallsTo("users.lookupByEmail"), c => c.Body["email"]!.GetValue<string>() == "dave@example.com");
        Assert.Equal("UDAVE", (await run.StoredAsync()).Manager!.ChatUser!.Id);
    }

    [Fact]
    public async Task A_manager_attribute_that_is_not_one_slack_user_id_opens_no_DM_and_blocks_the_request()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, new Dictionary<string, string?>(Settings()) { ["Approvals:ManagerConfirmation"] = "Required" });
        host.Okta.SetProfileAttribute(OktaSandboxSeed.AliceId, "slackUserId", "UALICE");
        // conversations.open takes a comma-separated list: this would open a group DM with Mallory in it.
        host.Okta.SetProfileAttribute(OktaSandboxSeed.DaveId, "slackUserId", "UDAVE,UMALLORY");

        var run = await SlackApprovalRun.SubmitAsync(host);

        var blocked = await host.WaitForAsync(r => r.Id == run.Request.Id && r.Manager?.Problem is not null, "the blocked request");
        Assert.StartsWith("Dave Manager could not be reached in chat", blocked.Manager!.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(slack.CallsTo("conversations.open"), c => c.Body["users"]!.GetValue<string>().Contains("UMALLORY", StringComparison.Ordinal));
        Assert.DoesNotContain(slack.CallsTo("chat.postMessage"), c => c.Channel is "DDAVE" or "DMALLORY");
        await run.MessageShowingAsync(run.ApprovalTs, "Blocked: Dave Manager could not be reached in chat");
    }

    [Fact]
    public async Task An_approver_whose_id_is_not_in_the_attribute_decides_nothing_and_gets_no_push()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, Settings());
        host.Okta.SetProfileAttribute(OktaSandboxSeed.AliceId, "slackUserId", "UALICE");
        var run = await SlackApprovalRun.SubmitAsync(host);

        // Erin is on the approver list and her Slack email is her Okta login, but her Okta profile names no Slack id.
        var refusal = await run.ApproveAsync("UERIN");

        Assert.StartsWith(RequestPresenter.Reference(run.Request) + ": ", refusal, StringComparison.Ordinal);
        Assert.Contains("profile.slackUserId", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("verifyFactor", run.OktaOperations);
        Assert.Empty(host.Okta.PendingPushChallenges);
        Assert.Equal(RequestState.AwaitingApproval, (await run.StoredAsync()).State);
        Assert.Contains(await run.AuditAsync(), a => a.Action == "ApproveRefused" && a.ActorId == "UERIN");
    }
}
