using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// The outbox rows on both providers: written with the state change, read back in the order decided, deferred with
/// their attempt count and next time, due only when that time has come, and gone once delivered.
/// </summary>
public class OutboxStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.PostgreSQL];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Messages_come_back_in_the_order_decided_with_their_payloads(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (store, outbox) = (Store(db), new Outbox(db.Database));
        var request = New();
        await store.CreateAsync(request, new AuditNote("alice", "Alice Example", "Requested"),
            [new OutboxMessage(OutboxKind.ApprovalCard), new OutboxMessage(OutboxKind.StatusCard)], Ct);
        Assert.True(request.Approve(Approver(Bob), Now.AddMinutes(1)).Succeeded);
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(request, [new OutboxMessage(OutboxKind.ThreadReply, "Approved by Bob")], Ct));

        var pending = await outbox.PendingForAsync(request.Id, Ct);

        Assert.Equal([OutboxKind.ApprovalCard, OutboxKind.StatusCard, OutboxKind.ThreadReply], pending.Select(p => p.Kind));
        Assert.Equal([null, null, "Approved by Bob"], pending.Select(p => p.Payload));
        Assert.All(pending, p => Assert.Equal((request.Id, 0), (p.RequestId, p.Attempts)));
        Assert.Equal([Now, Now, Now.AddMinutes(1)], pending.Select(p => p.NextAttemptAt));
        Assert.Equal(3, await outbox.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_deferred_message_counts_its_attempt_and_is_due_again_only_at_its_time(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (store, outbox) = (Store(db), new Outbox(db.Database));
        var request = New();
        await store.CreateAsync(request, new AuditNote("alice", "Alice Example", "Requested"), [new OutboxMessage(OutboxKind.ApprovalCard)], Ct);
        var message = Assert.Single(await outbox.PendingForAsync(request.Id, Ct));
        Assert.Equal([request.Id], await outbox.RequestsDueAsync(Now, Ct));

        await outbox.DeferAsync(message.Id, Now.AddSeconds(30), "HttpRequestException", Ct);

        var deferred = Assert.Single(await outbox.PendingForAsync(request.Id, Ct));
        Assert.Equal((1, Now.AddSeconds(30)), (deferred.Attempts, deferred.NextAttemptAt));
        Assert.Empty(await outbox.RequestsDueAsync(Now.AddSeconds(29), Ct));
        Assert.False(await outbox.HasDueAsync(request.Id, Now.AddSeconds(29), Ct));
        Assert.Equal([request.Id], await outbox.RequestsDueAsync(Now.AddSeconds(30), Ct));
        Assert.True(await outbox.HasDueAsync(request.Id, Now.AddSeconds(30), Ct));

        await outbox.RemoveAsync(message.Id, Ct);

        Assert.Empty(await outbox.PendingForAsync(request.Id, Ct));
        Assert.Equal(0, await outbox.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_save_that_conflicts_queues_nothing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var (store, outbox) = (Store(db), new Outbox(db.Database));
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        var (first, second) = ((await store.FindAsync("req-1", Ct))!, (await store.FindAsync("req-1", Ct))!);
        Assert.True(first.Approve(Approver(Bob), Now).Succeeded);
        Assert.True(second.Deny(Approver(Erin), Now).Succeeded);

        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(first, [new OutboxMessage(OutboxKind.ThreadReply, "Approved")], Ct));
        Assert.Equal(SaveOutcome.Conflict, await store.SaveAsync(second, [new OutboxMessage(OutboxKind.ThreadReply, "Denied")], Ct));

        Assert.Equal(["Approved"], (await outbox.PendingForAsync("req-1", Ct)).Select(p => p.Payload));
    }

    private static RequestStore Store(TestDatabase db) =>
        new(db.Database, TestContactProtector.Create(), new WalCheckpointer(db.Database));
}
