using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsStepUpSteps;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// Issue 11 after the approval, in Teams: the System Log watch window raises its alert in the request's Teams thread,
/// and the one reminder for an undecided request notifies the approvers with Teams mentions.
/// </summary>
public sealed class TeamsContainmentTests : TeamsEveryoneFixture
{
    [Fact]
    public async Task The_target_opening_the_Admin_Console_after_the_reset_raises_an_alert_in_the_Teams_thread()
    {
        using var host = new TeamsTestHost(Fake, Settings(("Monitoring:PollInterval", "00:00:00.300")));
        var request = await AskAsync(host, Alice);
        await ClickAsync(host, Bob, request, "approve");
        await AcceptPushAsync(host, OktaSandboxSeed.BobId);
        await TeamsActivationSteps.WaitForAsync(host, request.Id, r => r.State == RequestState.AwaitingActivation, "the reset");
        await ThreadLineAsync(host, request, "Every Okta session and OAuth token of alice@example.com was revoked");

        OktaOf(host).AddLogEvent(new SandboxLogEntry("user.session.access_admin_app", OktaSandboxSeed.AliceId, "User accessed Okta admin app")
        {
            Country = "Germany",
            City = "Berlin",
        });

        var alert = await ThreadLineAsync(host, request, "Security alert");
        Assert.StartsWith("\u26a0\ufe0f", alert, StringComparison.Ordinal);
        Assert.Contains("alice@example.com opened the Okta Admin Console", alert, StringComparison.Ordinal);
        Assert.Contains("user.session.access_admin_app", alert, StringComparison.Ordinal);
        Assert.Contains("Germany", alert, StringComparison.Ordinal);
        await AuditedAsync(host, request, "WatchAlert");
        Assert.Contains(OktaOf(host).Requests, r => r.OperationId == "listLogEvents" && r.Query.Contains("actor.id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_reminder_is_one_thread_reply_whose_mention_entities_name_the_approvers_by_their_Teams_ids()
    {
        const string NotInTeams = "0bad0000-0000-4000-8000-00000000000f";
        using var host = new TeamsTestHost(Fake, Settings(
            ("Approvals:ReminderAfter", "00:00:00.500"),
            ("Approvals:Approvers:1", Erin.Email),
            ("Approvals:Approvers:2", NotInTeams)));
        var request = await AskAsync(host, Alice);
        var threadPath = $"/v3/conversations/{SupportChannelId};messageid={request.ApprovalMessage!.MessageId}/activities";
        var workflow = host.Services.GetRequiredService<ResetWorkflowService>();

        // The expiry worker's pass, as often as it takes for the reminder to fall due (no timing is asserted).
        for (var i = 0; i < 100 && Reminders().Count == 0; i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            await workflow.ExpireDueAsync(CancellationToken.None);
            await TeamsActivationSteps.OutboxSettledAsync(host);
        }

        await workflow.ExpireDueAsync(CancellationToken.None);
        await TeamsActivationSteps.OutboxSettledAsync(host);

        var reminder = Assert.Single(Reminders());
        var text = reminder.Json["text"]!.GetValue<string>();
        Assert.Equal(request.ApprovalMessage.MessageId, reminder.Json["replyToId"]!.GetValue<string>());
        var mentions = (reminder.Json["entities"] as JsonArray ?? []).OfType<JsonObject>().Where(e => e["type"]!.GetValue<string>() == "mention").ToList();
        Assert.Equal([Bob.MemberId, Erin.MemberId], mentions.Select(m => m["mentioned"]!["id"]!.GetValue<string>()));
        Assert.Equal([Bob.Name, Erin.Name], mentions.Select(m => m["mentioned"]!["name"]!.GetValue<string>()));
        Assert.All(mentions, m => Assert.Contains(m["text"]!.GetValue<string>(), text, StringComparison.Ordinal));
        Assert.Contains("<at>Bob Helper</at>", text, StringComparison.Ordinal);
        Assert.Contains("<at>Erin Desk</at>", text, StringComparison.Ordinal);

        // Someone the bot knows nothing about in Teams is named in plain text, never tagged with a guessed id.
        Assert.Contains(NotInTeams, text, StringComparison.Ordinal);
        Assert.DoesNotContain($"<at>{NotInTeams}</at>", text, StringComparison.Ordinal);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);

        List<RecordedCall> Reminders() => Fake.ConnectorCalls
            .Where(c => c.Method == "POST" && c.Path == threadPath && c.Json["text"]!.GetValue<string>().StartsWith("Reminder:", StringComparison.Ordinal))
            .ToList();
    }
}
