using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>A chat platform that is down delays messages; it never loses them, nor shuffles a thread.</summary>
public class OutboxTests : FlowTestsOnEitherStore
{
    [Fact]
    public async Task Messages_the_platform_refused_are_retried_in_order_and_none_is_dropped()
    {
        using var host = NewHost();
        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" });
        var request = await host.OnlyRequestAsync();

        host.Chat.FailNext(3);
        await host.ClickAsync(Bob, "approve", request.Id);
        var done = await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        var outbox = host.Services.GetRequiredService<Outbox>();
        await Eventually.WaitUntilAsync(() => outbox.CountAsync(CancellationToken.None).GetAwaiter().GetResult() == 0, "the outbox to drain");

        Assert.Equal(3, host.Chat.Refused);
        var thread = host.Chat.In("support").Where(m => m.Kind == SentKind.ThreadReply).Select(m => m.Message.Text).ToList();
        Assert.Collection(thread,
            t => Assert.StartsWith("Approved by Bob", t, StringComparison.Ordinal),
            t => Assert.StartsWith("Resetting all factors", t, StringComparison.Ordinal),
            t => Assert.StartsWith("Factors reset", t, StringComparison.Ordinal),
            t => Assert.StartsWith("Every Okta session and OAuth token", t, StringComparison.Ordinal),
            t => Assert.StartsWith("Enrolled", t, StringComparison.Ordinal));
        Assert.Single(host.Chat.In("dm-alice"), m => m.Message.Card?.Template == "result");
        var status = host.Chat.In("dm-alice").Last(m => m.Message.Card?.Template == "status");
        Assert.Contains(done.Result!.FactorId, status.Visible);
    }

    /// <summary>
    /// Issue 9, point 6, in the core: a decision is stored with the messages it owes and answered; the chat platform
    /// is called after, in the background. A platform that holds every call must not hold the click.
    /// </summary>
    [Fact]
    public async Task A_decision_is_answered_while_the_chat_platform_still_holds_every_call()
    {
        using var host = NewHost();
        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" });
        var request = await host.OnlyRequestAsync();
        var click = new Channels.InboundMessage(host.Chat.SupportConversation, Bob, null,
            new JsonObject { ["verb"] = "approve", ["requestId"] = request.Id }, "click-1");

        using (host.Chat.Hold())
        {
            var sentBefore = host.Chat.Sent.Count;
            var answer = await host.Bot.HandleAsync(host.Chat, click, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            Assert.Contains("Bob Helper", answer.RefreshedCard!.Card!.Data.ToJsonString(), StringComparison.Ordinal);
            Assert.NotEqual(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
            Assert.Equal(sentBefore, host.Chat.Sent.Count);
        }

        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(() => host.Chat.In("dm-alice").Any(m => m.Message.Card?.Template == "result"), "Alice's result");
        var thread = host.Chat.In("support").Where(m => m.Kind == SentKind.ThreadReply).Select(m => m.Message.Text).ToList();
        Assert.StartsWith("Approved by Bob", thread[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activation_secrets_waiting_in_the_outbox_are_encrypted_and_deleted_once_delivered()
    {
        // Re-sends back off at most 1 s here, so a slow machine's many refusals do not push the next try past the wait.
        using var host = NewHost(new Dictionary<string, string?> { ["Outbox:MaxRetryDelay"] = "00:00:01" });
        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" });
        var request = await host.OnlyRequestAsync();
        host.Chat.FailNext(1000);
        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);

        var waiting = await ReadOutboxPayloadsAsync(host);
        host.Chat.FailNext(0);
        var outbox = host.Services.GetRequiredService<Outbox>();
        await Eventually.WaitUntilAsync(() => outbox.CountAsync(CancellationToken.None).GetAwaiter().GetResult() == 0, "the outbox to drain");

        var result = Assert.Single(host.Chat.In("dm-alice"), m => m.Message.Card?.Template == "result");
        var secret = result.Message.Card!.Data["sharedSecret"]!.GetValue<string>();
        Assert.Contains(waiting, p => p.Kind == "Result");
        Assert.DoesNotContain(waiting, p => (p.Payload ?? "").Contains(secret, StringComparison.Ordinal));
        Assert.Empty(await ReadOutboxPayloadsAsync(host));
    }

    private static async Task<List<(string Kind, string? Payload)>> ReadOutboxPayloadsAsync(FlowHost host)
    {
        await using var connection = await host.Services.GetRequiredService<StorageDatabase>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, payload FROM outbox ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        var rows = new List<(string, string?)>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }
}
