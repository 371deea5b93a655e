using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Issue 6 through the real Slack endpoints: a help-desk request on someone's behalf (the target is told and objects),
/// and the approval message of a privileged target with its Okta facts and the extra approval it needs.
/// </summary>
public sealed class SlackGuardrailFlowTests
{
    private static readonly Dictionary<string, string?> HelpDeskBob = new() { ["Approvals:HelpDesk:0"] = "UBOB" };

    [Fact]
    public async Task Help_desk_request_for_a_mention_tells_the_target_who_objects_and_the_request_is_cancelled()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, HelpDeskBob);
        var ct = TestContext.Current.CancellationToken;

        // 1. Bob (help desk) names Alice, escaped as Slack sends it; the bot's own mention is left out.
        var command = await host.CommandAsync("UBOB", "trigger-obo", $"<@{FakeSlackApi.BotUserId}> <@UALICE|alice>", "DBOB");
        Assert.Equal(HttpStatusCode.OK, command.StatusCode);
        Assert.Equal("", await command.Content.ReadAsStringAsync(ct));

        // 2. A placeholder modal opens at once with the trigger id (before any users.info or Okta work), and the form
        //    fills it with views.update, saying for whom, with the core's draft id in private_metadata.
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.update").Any(), "the on-behalf form");
        var placeholder = slack.CallsTo("views.open").Single();
        Assert.True(placeholder.Ok, placeholder.Answer.ToJsonString());
        Assert.Equal("trigger-obo", placeholder.Body["trigger_id"]!.GetValue<string>());
        Assert.Contains("Looking up that person", placeholder.AllText);
        var open = slack.CallsTo("views.update").Single();
        Assert.True(open.Ok, open.Answer.ToJsonString());
        Assert.Equal(placeholder.Answer["view"]!["id"]!.GetValue<string>(), open.Body["view_id"]!.GetValue<string>());
        Assert.Contains("For Alice Example, asked by the help desk", open.AllText);
        var metadata = open.Body["view"]!["private_metadata"]!.GetValue<string>();
        var draft = JsonNode.Parse(metadata)!["onBehalfOf"]!.GetValue<string>();
        Assert.Matches("^[0-9A-F]{32}$", draft);
        Assert.DoesNotContain(slack.CallsTo("chat.postEphemeral"), c => c.Body["user"]!.GetValue<string>() == "UBOB");

        // 3. Bob submits the modal: the request is Bob's, for Alice's account.
        var submitted = await host.InteractAsync(
            SlackPayloads.ViewSubmission("UBOB", "VOBO", "token:software:totp", "GOOGLE", privateMetadata: metadata));
        Assert.Equal("", await submitted.Content.ReadAsStringAsync(ct));
        var request = await host.WaitForAsync(r => r.State == RequestState.AwaitingApproval, "the on-behalf request");
        Assert.Equal("UBOB", request.Requester.Id);
        Assert.Equal("alice@example.com", request.Target.Login);
        Assert.Equal("UALICE", request.TargetChatUser!.Id);

        // 4. Alice is told privately, in her DM, with the title and a danger "I did not ask for this" button.
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DALICE"), "Alice's notice");
        var notice = slack.CallsTo("chat.postMessage").Single(c => c.Channel == "DALICE");
        Assert.True(notice.Ok, notice.Answer.ToJsonString());
        var header = notice.Body["blocks"]!.AsArray().First(b => b!["type"]!.GetValue<string>() == "header")!;
        Assert.Equal($"A reset of your MFA was requested ({RequestPresenter.Reference(request)})", header["text"]!["text"]!.GetValue<string>());
        Assert.Contains("Bob Helper", notice.AllText);
        var objectButton = notice.Body["blocks"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "actions")!["elements"]!
            .AsArray().Single()!;
        Assert.Equal("object", objectButton["action_id"]!.GetValue<string>());
        Assert.Equal("danger", objectButton["style"]!.GetValue<string>());
        Assert.Equal(request.Id, objectButton["value"]!.GetValue<string>());
        Assert.Contains(slack.CallsTo("conversations.open"), c => c.Body["users"]!.GetValue<string>() == "UALICE");

        // 5. Alice objects from her DM: the request is cancelled.
        var approval = slack.CallsTo("chat.postMessage").Single(c => c.Channel == SlackTestHost.SupportChannel && c.ThreadTs is null);
        var approvalTs = approval.Answer["ts"]!.GetValue<string>();
        await host.InteractAsync(SlackPayloads.Click("UALICE", "object", request.Id, "DALICE", notice.Answer["ts"]!.GetValue<string>(), "7.7"));
        var cancelled = await host.WaitForAsync(r => r.State == RequestState.Cancelled, "the cancelled request");
        Assert.Equal(request.Id, cancelled.Id);

        // 6. The support message is updated in place: objected, no buttons left; the thread says why.
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.update").Any(c => c.Body["ts"]!.GetValue<string>() == approvalTs && c.AllText.Contains("Objected", StringComparison.Ordinal)),
            "the support message showing the objection");
        var latest = slack.CallsTo("chat.update").Last(c => c.Body["ts"]!.GetValue<string>() == approvalTs);
        Assert.DoesNotContain(latest.Body["blocks"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "actions");
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.postMessage").Any(c => c.ThreadTs == approvalTs && c.AllText.Contains("did not ask for this reset", StringComparison.Ordinal)),
            "the objection in the thread");

        // Alice's notice is updated in place too: her button is gone.
        var noticeTs = notice.Answer["ts"]!.GetValue<string>();
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.update").Any(c => c.Channel == "DALICE" && c.Body["ts"]!.GetValue<string>() == noticeTs),
            "Alice's updated notice");
        var aliceLatest = slack.CallsTo("chat.update").Last(c => c.Channel == "DALICE" && c.Body["ts"]!.GetValue<string>() == noticeTs);
        Assert.DoesNotContain(aliceLatest.Body["blocks"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "actions");
        Assert.All(slack.Calls, c => Assert.True(c.Ok, $"{c.Method}: {c.Answer.ToJsonString()}"));
    }

    [Fact]
    public async Task Help_desk_request_by_email_is_looked_up_in_slack_and_others_are_refused()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, HelpDeskBob);

        // Erin is an approver but not help desk: refused, in the modal she is looking at, and no form opens.
        await host.CommandAsync("UERIN", "trigger-erin", "alice@example.com", "CGENERAL");
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.update").Any(), "the refusal");
        var refusal = slack.CallsTo("views.update").Single();
        Assert.True(refusal.Ok, refusal.Answer.ToJsonString());
        Assert.Contains("Only the help desk", refusal.AllText);
        Assert.Null(refusal.Body["view"]!["submit"]);
        Assert.Empty(slack.CallsTo("chat.postEphemeral"));

        // Bob names Alice by email (Slack links it as mailto): users.lookupByEmail finds her and the form fills his modal.
        await host.CommandAsync("UBOB", "trigger-bob", "<mailto:Alice@Example.com|Alice@Example.com>", "DBOB");
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.update").Count() >= 2, "the on-behalf form");
        var lookup = slack.CallsTo("users.lookupByEmail").Single();
        Assert.Equal("alice@example.com", lookup.Body["email"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);
        Assert.Contains("For Alice Example", slack.CallsTo("views.update").Last().AllText);

        // An address Slack does not know is answered in the modal, not with a form.
        await host.CommandAsync("UBOB", "trigger-nobody", "nobody@example.com", "DBOB");
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.update").Count() >= 3, "the not-found answer");
        Assert.Contains("find that person", slack.CallsTo("views.update").Last().AllText);
        Assert.Equal(3, slack.CallsTo("views.open").Count());
        Assert.All(slack.CallsTo("views.open"), c => Assert.Contains("Looking up that person", c.AllText));
        Assert.Empty(await host.AllRequestsAsync());
    }

    [Fact]
    public async Task A_draft_carried_by_someone_else_s_submission_creates_nothing()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack, HelpDeskBob);
        await host.CommandAsync("UBOB", "trigger-obo", "<@UALICE|alice>", "DBOB");
        await Eventually.WaitUntilAsync(() => slack.CallsTo("views.update").Any(), "the on-behalf form");
        var metadata = slack.CallsTo("views.update").Single().Body["view"]!["private_metadata"]!.GetValue<string>();

        // Mallory replays Bob's modal metadata in her own submission: the core refuses, she is told, nothing is stored.
        await host.InteractAsync(SlackPayloads.ViewSubmission("UMALLORY", "VFORGED", "push", "OKTA", privateMetadata: metadata));

        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DMALLORY"), "the refusal");
        Assert.Contains("not yours", slack.CallsTo("chat.postMessage").Single(c => c.Channel == "DMALLORY").AllText);
        Assert.Empty(await host.AllRequestsAsync());
        Assert.DoesNotContain(slack.CallsTo("chat.postMessage"), c => c.Channel is "DALICE" or SlackTestHost.SupportChannel);
    }

    [Fact]
    public async Task Approval_message_for_a_privileged_target_shows_the_okta_facts_and_the_second_approval_needed()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        using var host = new SlackTestHost(slack);

        await host.InteractAsync(SlackPayloads.ViewSubmission("UCAROL", "VCAROL", "token:software:totp", "GOOGLE"));
        var request = await host.WaitForAsync(r => r.State == RequestState.AwaitingApproval, "Carol's request");
        Assert.Equal("carol@example.com", request.Target.Login);
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.postMessage").Any(c => c.Channel == SlackTestHost.SupportChannel), "the approval message");

        var approval = slack.CallsTo("chat.postMessage").Single(c => c.Channel == SlackTestHost.SupportChannel && c.ThreadTs is null);
        Assert.True(approval.Ok, approval.Answer.ToJsonString());
        var blocks = approval.Body["blocks"]!.AsArray();
        var sectionTexts = blocks.Select(b => b?["text"]?["text"]?.GetValue<string>() ?? "").ToList();
        Assert.Contains(sectionTexts, t => t.Contains("2 more approval(s) needed", StringComparison.Ordinal));
        Assert.Contains(sectionTexts, t => t.Contains("Who is this? (from Okta)", StringComparison.Ordinal));

        var fields = blocks.SelectMany(b => b?["fields"]?.AsArray() ?? []).Select(f => f!["text"]!.GetValue<string>()).ToList();
        Assert.Contains(fields, f => f.StartsWith("*Admin roles*", StringComparison.Ordinal) && f.Contains("SUPER_ADMIN", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("*Identity*", StringComparison.Ordinal));
        Assert.Contains(fields, f => f.StartsWith("*Factors now*", StringComparison.Ordinal));
        Assert.All(blocks.Where(b => b?["fields"] is not null), b => Assert.True(b!["fields"]!.AsArray().Count <= 10));

        // One approval is not enough for a super admin.
        await host.InteractAsync(SlackPayloads.Click("UBOB", "approve", request.Id, SlackTestHost.SupportChannel, approval.Answer["ts"]!.GetValue<string>(), "8.8"));
        await Eventually.WaitUntilAsync(
            () => slack.CallsTo("chat.update").Any(c => c.AllText.Contains("1 more approval(s) needed", StringComparison.Ordinal)), "the updated note");
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, TestContext.Current.CancellationToken))!.State);
    }
}
