using ChatOpsMfa.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// An undecided request gets one reminder in its Slack thread that notifies the approvers: those listed by Slack user
/// id as <c>&lt;@U…&gt;</c>, those listed by email found with <c>users.lookupByEmail</c>; any other entry is named in plain
/// text and can never become a mention, a link or an <c>@channel</c>.
/// </summary>
public sealed class SlackReminderTests
{
    [Fact]
    public async Task One_reminder_in_the_thread_mentions_the_approvers_so_slack_notifies_them()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        var clock = new ShiftedClock();
        var settings = SlackApprovalRun.StepUp(
            ("Approvals:ReminderAfter", "00:00:01"),
            // Erin again by email (one mention, not two), Dave by email only, and an entry that is no Slack user id.
            ("Approvals:Approvers:2", "erin@example.com"),
            ("Approvals:Approvers:3", "dave@example.com"),
            ("Approvals:Approvers:4", "<!channel>"),
            ("Approvals:Approvers:5", "nobody@example.com"));
        using var host = new SlackTestHost(slack, settings, s => s.AddSingleton<TimeProvider>(clock));
        var run = await SlackApprovalRun.SubmitAsync(host);
        var number = RequestPresenter.Reference(run.Request);
        var expiry = host.Services.GetRequiredService<ResetWorkflowService>();

        clock.MoveForward(TimeSpan.FromSeconds(2)); // past Approvals:ReminderAfter
        await expiry.ExpireDueAsync(TestContext.Current.CancellationToken);
        await expiry.ExpireDueAsync(TestContext.Current.CancellationToken);

        var line = await run.ThreadLineAsync("Reminder:");
        var reminder = Assert.Single(run.ThreadReplies, r => r.Body["text"]!.GetValue<string>().StartsWith("Reminder:", StringComparison.Ordinal));
        Assert.Equal(SlackTestHost.SupportChannel, reminder.Channel);
        var lines = line.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"Reminder: {number} has waited ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("min left); nothing is ever approved automatically.", lines[0], StringComparison.Ordinal);
        Assert.Equal("<@UBOB> <@UERIN> &lt;!channel&gt; <@UDAVE>", lines[1]);

        // The blocks say the same, so the people are named where the message is read, not only in its notification.
        var section = Assert.Single(reminder.Body["blocks"]!.AsArray());
        Assert.Equal(line, section!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("mrkdwn", section["text"]!["type"]!.GetValue<string>());
        Assert.Contains(slack.CallsTo("users.lookupByEmail"), c => c.Body["email"]!.GetValue<string>() == "nobody@example.com" && !c.Ok);

        // Still one reminder, and nothing was decided for want of a decision.
        await expiry.ExpireDueAsync(TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(run.ThreadLines, l => l.StartsWith("Reminder:", StringComparison.Ordinal));
        Assert.Single(await run.AuditAsync(), a => a.Action == "Reminded");
        Assert.Equal(RequestState.AwaitingApproval, (await run.StoredAsync()).State);
        Assert.DoesNotContain("verifyFactor", run.OktaOperations);
        Assert.DoesNotContain(slack.Calls, c => c.Body["text"]?.GetValue<string>().Contains("<!channel>", StringComparison.Ordinal) == true);
    }
}
