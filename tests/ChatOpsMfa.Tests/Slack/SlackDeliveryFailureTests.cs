using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Slack errors that no retry can fix (the channel is archived or gone, the bot was removed, the workspace is inactive,
/// the blocks are refused) are permanent: the outbox records the failure in the audit trail and moves on, instead of
/// holding every later message of the request back forever.
/// </summary>
public sealed class SlackDeliveryFailureTests
{
    private static readonly Dictionary<string, string?> FastOutbox = new()
    {
        ["Outbox:RetryDelay"] = "00:00:00.050",
        ["Outbox:MaxRetryDelay"] = "00:00:00.100",
        ["Outbox:PollInterval"] = "00:00:00.100",
    };

    [Theory]
    [InlineData("is_archived")]
    [InlineData("channel_not_found")]
    [InlineData("not_in_channel")]
    [InlineData("account_inactive")]
    [InlineData("invalid_blocks")]
    public async Task A_permanently_refused_approval_message_is_audited_once_and_the_next_message_is_delivered(string error)
    {
        await using var slack = await FakeSlackApi.StartAsync();
        slack.Refuse("chat.postMessage", error, body => body["channel"]?.GetValue<string>() == SlackTestHost.SupportChannel);
        using var host = new SlackTestHost(slack, FastOutbox);
        var ct = TestContext.Current.CancellationToken;

        await host.InteractAsync(SlackPayloads.ViewSubmission("UALICE", "VPERM", "push", "OKTA"));
        var request = await host.WaitForAsync(r => r.State == RequestState.AwaitingApproval, "the request");

        // The next message (Alice's status card, in her DM) is delivered although the approval message never can be.
        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == "DALICE" && c.Ok), "the status card");
        var audit = await host.Store.AuditTrailAsync(request.Id, ct);
        var undeliverable = Assert.Single(audit, a => a.Action == "MessageUndeliverable");
        Assert.Contains(error, undeliverable.Detail, StringComparison.Ordinal);
        Assert.Contains(nameof(OutboxKind.ApprovalCard), undeliverable.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeSlackApi.BotToken, undeliverable.Detail, StringComparison.Ordinal);

        // Nothing is owed any more, so nothing will try the support channel again.
        var outbox = host.Services.GetRequiredService<Outbox>();
        for (var i = 0; i < 200 && (await outbox.PendingForAsync(request.Id, ct)).Count > 0; i++)
        {
            await Task.Delay(50, ct);
        }

        Assert.Empty(await outbox.PendingForAsync(request.Id, ct));
        await host.Services.GetRequiredService<OutboxDispatcher>().DeliverAsync(request.Id, ct);
        Assert.Single(slack.CallsTo("chat.postMessage"), c => c.Channel == SlackTestHost.SupportChannel);
    }

    [Fact]
    public async Task A_transient_refusal_is_retried_and_the_message_arrives()
    {
        await using var slack = await FakeSlackApi.StartAsync();
        slack.Refuse("chat.postMessage", "internal_error", body => body["channel"]?.GetValue<string>() == SlackTestHost.SupportChannel, times: 1);
        using var host = new SlackTestHost(slack, FastOutbox);

        await host.InteractAsync(SlackPayloads.ViewSubmission("UALICE", "VTRANS", "push", "OKTA"));
        var request = await host.WaitForAsync(r => r.State == RequestState.AwaitingApproval, "the request");

        await Eventually.WaitUntilAsync(() => slack.CallsTo("chat.postMessage").Any(c => c.Channel == SlackTestHost.SupportChannel && c.Ok), "the approval message");
        Assert.DoesNotContain(await host.Store.AuditTrailAsync(request.Id, TestContext.Current.CancellationToken), a => a.Action == "MessageUndeliverable");
    }
}
