using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>Requests nobody decides in time expire, on a clock the test controls, and even across a restart.</summary>
public class ExpiryTests : FlowTestsOnEitherStore
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private static JsonObject Push => new() { ["verb"] = "submitRequest", ["factor"] = "push|OKTA" };

    [Fact]
    public async Task An_undecided_request_expires_the_cards_update_and_the_requester_is_told()
    {
        var clock = new FakeTimeProvider(Start);
        using var host = NewHost(services: s => s.AddSingleton<TimeProvider>(clock));
        await host.SubmitAsync(Alice, Push);
        var request = await host.OnlyRequestAsync();

        clock.Advance(TimeSpan.FromMinutes(29));
        await host.Services.GetRequiredService<ResetWorkflowService>().ExpireDueAsync(CancellationToken.None);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);

        clock.Advance(TimeSpan.FromMinutes(2));
        await host.Services.GetRequiredService<ResetWorkflowService>().ExpireDueAsync(CancellationToken.None);
        // Advancing the clock also ticks the host's own expiry sweep, which may expire the request first; this call's
        // save is then a conflict, and the cards follow from that sweep's delivery, in the background.
        await host.OutboxSettledAsync();

        Assert.Equal(RequestState.Expired, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        var approval = host.Chat.In("support").Last(m => m.Message.Card?.Template == "approval");
        Assert.DoesNotContain("\"verb\":\"approve\"", approval.Card!.ToJsonString());
        Assert.Contains(host.Chat.In("support"), m => m.Kind == SentKind.ThreadReply && m.Message.Text.StartsWith("Expired", StringComparison.Ordinal));
        var status = host.Chat.In("dm-alice").Last(m => m.Message.Card?.Template == "status");
        Assert.Contains("Expired", status.Visible);
        Assert.Contains("/mfa-reset", status.Visible);

        await host.ClickAsync(Bob, "approve", request.Id);
        Assert.Contains(host.Chat.Sent, m => m.Kind == SentKind.Ephemeral && m.Message.Text.Contains("expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Expiry_deadlines_survive_a_restart()
    {
        // Both processes on one database: on SQLite a file of this test's own, on PostgreSQL this test's database.
        await using var sqlite = Provider == StorageProvider.Sqlite ? await TestDatabase.CreateAsync(StorageProvider.Sqlite) : null;
        var database = sqlite?.Settings.ToDictionary() ?? new Dictionary<string, string?>();
        string requestId;
        using (var before = NewHost(database, s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(Start))))
        {
            await before.SubmitAsync(Alice, Push);
            requestId = (await before.OnlyRequestAsync()).Id;
        }

        // A new process, started after the deadline: the expiry worker's first sweep at start-up expires it.
        using var after = NewHost(database, s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(Start.AddMinutes(45))));
        await after.WaitForAsync(requestId, RequestState.Expired);
    }
}
