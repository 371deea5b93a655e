using System.Data.Common;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>The request store on both providers: numbering, optimistic concurrency, and the append-only audit trail.</summary>
public class RequestStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.PostgreSQL];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Created_requests_get_increasing_numbers_and_an_audit_line(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = Store(db);
        var first = New();
        var second = new ResetRequest("req-2", Alice, first.RequesterConversation, first.Target, first.Factor, Now, Now.AddMinutes(30));

        await store.CreateAsync(first, new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        await store.CreateAsync(second, new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        Assert.Equal((1, 2), (first.Number, second.Number));
        var audit = Assert.Single(await store.AuditTrailAsync("req-1", Ct));
        Assert.Equal(("alice", "Requested", "AwaitingApproval"), (audit.ActorId, audit.Action, audit.ToState));
        Assert.Null(audit.FromState);
        Assert.Equal(Now, audit.At);
        var loaded = await store.FindByNumberAsync(2, Ct);
        Assert.Equal("req-2", loaded!.Id);
        Assert.Equal(1, loaded.Version);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Saving_a_transition_stores_the_state_and_audits_it_in_one_go(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = Store(db);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        var request = (await store.FindAsync("req-1", Ct))!;
        request.Approve(Approver(Bob), Now.AddMinutes(2));
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(request, Ct));

        var reloaded = (await store.FindAsync("req-1", Ct))!;
        Assert.Equal(RequestState.Approved, reloaded.State);
        Assert.Equal(2, reloaded.Version);
        Assert.Equal("bob", reloaded.Decisions.Single().By.Id);
        var trail = await store.AuditTrailAsync("req-1", Ct);
        Assert.Equal(["Requested", "Approve"], trail.Select(a => a.Action));
        Assert.Equal(("AwaitingApproval", "Approved", "Bob Helpdesk"), (trail[1].FromState, trail[1].ToState, trail[1].ActorName));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_concurrent_approvals_make_exactly_one_transition(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = Store(db);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        var seenByBob = (await store.FindAsync("req-1", Ct))!;
        var seenByErin = (await store.FindAsync("req-1", Ct))!;

        seenByBob.Approve(Approver(Bob), Now);
        seenByErin.Approve(Approver(Erin), Now);
        var outcomes = await Task.WhenAll(
            Task.Run(() => store.SaveAsync(seenByBob, Ct), Ct), Task.Run(() => store.SaveAsync(seenByErin, Ct), Ct));

        Assert.Equal(1, outcomes.Count(o => o == SaveOutcome.Saved));
        Assert.Equal(1, outcomes.Count(o => o == SaveOutcome.Conflict));
        var trail = await store.AuditTrailAsync("req-1", Ct);
        Assert.Single(trail, a => a.Action == "Approve");
        Assert.Equal(2, (await store.FindAsync("req-1", Ct))!.Version);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_save_from_a_stale_copy_is_a_conflict_and_changes_nothing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = Store(db);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        var stale = (await store.FindAsync("req-1", Ct))!;
        var fresh = (await store.FindAsync("req-1", Ct))!;
        fresh.Approve(Approver(Bob), Now.AddMinutes(1));
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(fresh, Ct));

        Assert.True(stale.Deny(Approver(Erin), Now.AddMinutes(2)).Succeeded);

        Assert.Equal(SaveOutcome.Conflict, await store.SaveAsync(stale, [new OutboxMessage(OutboxKind.ApprovalCard)], Ct));
        var stored = (await store.FindAsync("req-1", Ct))!;
        Assert.Equal((RequestState.Approved, 2L), (stored.State, stored.Version));
        Assert.DoesNotContain(await store.AuditTrailAsync("req-1", Ct), a => a.Action == "Deny");
        Assert.Empty(await new Outbox(db.Database).PendingForAsync("req-1", Ct));
    }

    /// <summary>
    /// Several instances creating requests at once must never hand out one number twice (on PostgreSQL the advisory
    /// lock serialises them; on SQLite the write lock does), and the numbers stay consecutive.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Requests_created_at_once_by_several_instances_get_distinct_consecutive_numbers(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var stores = Enumerable.Range(0, 4).Select(_ => Store(db)).ToArray(); // four instances, one database
        var template = New();
        var requests = Enumerable.Range(0, 24)
            .Select(i => new ResetRequest($"req-{i}", Alice, template.RequesterConversation, template.Target, template.Factor, Now, Now.AddMinutes(30)))
            .ToArray();

        await Task.WhenAll(requests.Select((r, i) => Task.Run(
            () => stores[i % stores.Length].CreateAsync(r, new AuditNote("alice", "Alice Example", "Requested"), [], Ct), Ct)));

        Assert.Equal(Enumerable.Range(1, requests.Length).Select(n => (long)n), requests.Select(r => r.Number).Order());
        foreach (var request in requests)
        {
            Assert.Equal(request.Id, (await stores[0].FindByNumberAsync(request.Number, Ct))!.Id);
            Assert.Equal(request.Number, Assert.Single(await stores[0].AuditTrailAsync(request.Id, Ct)).RequestNumber);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Requests_are_listed_by_state_and_found_by_target(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = Store(db);
        var first = New();
        var second = new ResetRequest("req-2", Alice, first.RequesterConversation, first.Target, first.Factor, Now, Now.AddMinutes(30));
        await store.CreateAsync(first, new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        await store.CreateAsync(second, new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        var approved = (await store.FindAsync("req-2", Ct))!;
        approved.Approve(Approver(Bob), Now.AddMinutes(1));
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(approved, Ct));

        Assert.Equal(["req-1"], (await store.ListInStatesAsync([RequestState.AwaitingApproval], Ct)).Select(r => r.Id));
        Assert.Equal(["req-1", "req-2"], (await store.ListInStatesAsync([RequestState.AwaitingApproval, RequestState.Approved], Ct)).Select(r => r.Id));
        Assert.Equal("req-2", (await store.FindForTargetAsync(first.Target.OktaUserId, [RequestState.Approved], Ct))!.Id);
        Assert.Null(await store.FindForTargetAsync("00u-nobody", [RequestState.Approved], Ct));
        Assert.Null(await store.FindAsync("req-missing", Ct));
        Assert.Empty(await store.CompletedResetTimesAsync(first.Target.OktaUserId, Now.AddDays(-1), Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_note_is_audited_with_the_state_unchanged(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = Store(db);
        var request = New();
        await store.CreateAsync(request, new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        await store.AuditAsync(request, new AuditNote("mallory", "Mallory", "Refused", "not an approver"), Now.AddMinutes(3), Ct);

        var note = (await store.AuditTrailAsync("req-1", Ct))[1];
        Assert.Equal(("mallory", "Refused", "not an approver"), (note.ActorId, note.Action, note.Detail));
        Assert.Equal(("AwaitingApproval", "AwaitingApproval"), (note.FromState, note.ToState));
        Assert.Equal(Now.AddMinutes(3), note.At);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_audit_trail_refuses_updates_and_deletes(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = Store(db);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        foreach (var tamper in new[] { "UPDATE audit SET actor_id = 'mallory'", "DELETE FROM audit" })
        {
            var error = await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(db, tamper));
            Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        }

        var kept = Assert.Single(await store.AuditTrailAsync("req-1", Ct));
        Assert.Equal("alice", kept.ActorId);
    }

    /// <summary>PostgreSQL's TRUNCATE skips row triggers; a statement trigger refuses it too. (SQLite has no TRUNCATE.)</summary>
    [Fact]
    public async Task On_PostgreSQL_the_audit_trail_refuses_a_truncate()
    {
        await using var db = await TestDatabase.CreateAsync(StorageProvider.PostgreSQL);
        var store = Store(db);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => ExecuteAsync(db, "TRUNCATE audit"));

        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        Assert.Single(await store.AuditTrailAsync("req-1", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrating_twice_keeps_the_data(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = Store(db);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        await db.Database.MigrateAsync(Ct);

        Assert.NotNull(await store.FindAsync("req-1", Ct));
        Assert.Single(await store.AuditTrailAsync("req-1", Ct));
    }

    private static RequestStore Store(TestDatabase db) =>
        new(db.Database, TestContactProtector.Create(), new WalCheckpointer(db.Database));

    private static async Task ExecuteAsync(TestDatabase db, string sql)
    {
        await using var connection = await db.Database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }
}
