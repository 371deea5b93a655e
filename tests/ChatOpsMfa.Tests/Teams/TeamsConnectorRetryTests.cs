using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Channels.Teams.Connector;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The Connector's transient answers are retried a bounded number of times (429 after its Retry-After, 502/503/504
/// with jittered back-off), a 401 renews the token once, and Teams' permanent refusals are given up on: the outbox
/// records them in the audit trail and delivers the next message.
/// </summary>
public sealed class TeamsConnectorRetryTests : TeamsFakeTests
{

    private static ConversationRef Dm(TeamsTestUser user) => new("msteams", user.PersonalConversationId, false, FakeBotFramework.TenantId);

    [Fact]
    public async Task Throttled_and_unavailable_calls_are_retried_until_the_Connector_takes_them()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();
        var channel = host.Services.GetRequiredService<TeamsChatChannel>();
        Fake.FailNextConnectorCalls(1, 429, "TooManyRequests", retryAfter: "1");
        Fake.FailNextConnectorCalls(1, 503, "ServiceUnavailable");
        Fake.FailNextConnectorCalls(1, 502, "ServiceError", teamsShape: true);

        var posted = await channel.PostAsync(Dm(Alice), new ChatMessage("hello"), CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(posted.MessageId));
        Assert.Equal(4, Fake.ConnectorCalls.Count);
        Assert.Contains(host.LogLines, l => l.Contains("answered 429; trying again", StringComparison.Ordinal));
        Assert.Contains(host.LogLines, l => l.Contains("answered 503; trying again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_failure_stays_retryable_for_the_outbox()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();
        var channel = host.Services.GetRequiredService<TeamsChatChannel>();
        var retry = host.Services.GetRequiredService<ConnectorRetryPolicy>();

        Fake.FailNextConnectorCalls(20, 503, "ServiceUnavailable");
        var unavailable = await Assert.ThrowsAsync<ConnectorCallException>(() => channel.PostAsync(Dm(Alice), new ChatMessage("a"), CancellationToken.None));
        Assert.False(unavailable.IsPermanent);
        Assert.Equal(1 + retry.MaxRetries, Fake.ConnectorCalls.Count);
    }

    [Fact]
    public async Task A_long_Retry_After_is_not_waited_out_here()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();
        var channel = host.Services.GetRequiredService<TeamsChatChannel>();
        Fake.FailNextConnectorCalls(1, 429, "TooManyRequests", retryAfter: "3600");

        var throttled = await Assert.ThrowsAsync<ConnectorCallException>(() => channel.PostAsync(Dm(Alice), new ChatMessage("a"), CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.False(throttled.IsPermanent);
        Assert.Single(Fake.ConnectorCalls);
    }

    [Fact]
    public async Task A_401_drops_the_cached_token_and_retries_once_with_a_new_one()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();
        var channel = host.Services.GetRequiredService<TeamsChatChannel>();
        Fake.RevokeToken(); // the token cached at start no longer works

        await channel.PostAsync(Dm(Alice), new ChatMessage("hello"), CancellationToken.None);

        Assert.Equal(1, Fake.TokenRequests);
        Assert.Equal(["Bearer " + FakeBotFramework.AccessToken, "Bearer " + Fake.CurrentAccessToken],
            Fake.ConnectorCalls.Select(c => c.Authorization));

        // Refused again with the new token: once is enough, the failure goes to the caller.
        Fake.ResetRecording();
        Fake.FailNextConnectorCalls(5, 401, "Unauthorized");
        var refused = await Assert.ThrowsAsync<ConnectorCallException>(() => channel.PostAsync(Dm(Alice), new ChatMessage("again"), CancellationToken.None));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(2, Fake.ConnectorCalls.Count);
    }

    [Theory]
    [InlineData("""{"error":{"code":"BotNotInConversationRoster","message":"The bot is not part of the conversation roster."}}""", "BotNotInConversationRoster", "The bot is not part of the conversation roster.")]
    [InlineData("""{"errorCode":209,"message":"{\"subCode\":\"MessageWritesBlocked\",\"details\":\"Thread is blocked from message writes.\",\"errorCode\":null,\"errorSubCode\":null}"}""", "MessageWritesBlocked", "Thread is blocked from message writes.")]
    [InlineData("""{"errorCode":209,"message":"plain words"}""", "209", "plain words")]
    [InlineData("<html>Bad gateway</html>", null, null)]
    public void Both_documented_error_shapes_are_read(string body, string? code, string? message)
    {
        Assert.Equal((code, message), ConnectorClient.ErrorOf(body));
    }

    public static TheoryData<int, string> PermanentRefusals => new()
    {
        { 403, "BotNotInConversationRoster" },
        { 404, "ConversationNotFound" },
        { 403, "MessageWritesBlocked" },
    };

    /// <summary>
    /// The approval card cannot be posted (the bot was removed from the support team, the channel was deleted, or
    /// the conversation blocks the bot). The outbox tries once, records why in the audit trail, and goes on to the
    /// next message: Alice's status card.
    /// </summary>
    [Theory]
    [MemberData(nameof(PermanentRefusals))]
    public async Task A_permanent_refusal_is_audited_not_retried_and_the_next_message_is_delivered(int status, string code)
    {
        using var host = new TeamsTestHost(Fake, new Dictionary<string, string?>
        {
            ["Outbox:RetryDelay"] = "00:00:00.050",
            ["Outbox:PollInterval"] = "00:00:00.100",
        });
        await host.StartAsync();
        Fake.FailSendsTo(SupportChannelId, status, code);

        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "submitRequest",
            new System.Text.Json.Nodes.JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }, host.ServiceUrl));
        var request = Assert.Single(await host.AllRequestsAsync());

        await Eventually.WaitUntilAsync(() => Fake.ConnectorCalls.Any(c => c.Path == $"/v3/conversations/{Alice.PersonalConversationId}/activities"),
            "the status card");
        await Task.Delay(500, TestContext.Current.CancellationToken); // several outbox polls: a retry would show now
        Assert.Single(Fake.ConnectorCalls, c => c.Path == $"/v3/conversations/{SupportChannelId}/activities");
        var audit = await host.Store.AuditTrailAsync(request.Id, CancellationToken.None);
        var undeliverable = Assert.Single(audit, a => a.Action == "MessageUndeliverable");
        Assert.Contains(code, undeliverable.Detail, StringComparison.Ordinal);
        Assert.StartsWith(nameof(OutboxKind.ApprovalCard), undeliverable.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await host.Services.GetRequiredService<Outbox>().CountAsync(CancellationToken.None));
    }
}
