using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using Microsoft.Data.Sqlite;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Storage;

public class RequestStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Created_requests_get_increasing_numbers_and_an_audit_line()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer);
        var first = New();
        var second = new ResetRequest("req-2", Alice, first.RequesterConversation, first.Target, first.Factor, Now, Now.AddMinutes(30));

        await store.CreateAsync(first, new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        await store.CreateAsync(second, new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        Assert.Equal((1, 2), (first.Number, second.Number));
        var audit = Assert.Single(await store.AuditTrailAsync("req-1", Ct));
        Assert.Equal(("alice", "Requested", "AwaitingApproval"), (audit.ActorId, audit.Action, audit.ToState));
        var loaded = await store.FindByNumberAsync(2, Ct);
        Assert.Equal("req-2", loaded!.Id);
    }

    [Fact]
    public async Task Saving_a_transition_stores_the_state_and_audits_it_in_one_go()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        var request = (await store.FindAsync("req-1", Ct))!;
        request.Approve(Approver(Bob), Now.AddMinutes(2));
        Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(request, Ct));

        var reloaded = (await store.FindAsync("req-1", Ct))!;
        Assert.Equal(RequestState.Approved, reloaded.State);
        Assert.Equal("bob", reloaded.Decisions.Single().By.Id);
        var trail = await store.AuditTrailAsync("req-1", Ct);
        Assert.Equal(["Requested", "Approve"], trail.Select(a => a.Action));
        Assert.Equal(("AwaitingApproval", "Approved", "Bob Helpdesk"), (trail[1].FromState, trail[1].ToState, trail[1].ActorName));
    }

    [Fact]
    public async Task Two_concurrent_approvals_make_exactly_one_transition()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);
        var seenByBob = (await store.FindAsync("req-1", Ct))!;
        var seenByErin = (await store.FindAsync("req-1", Ct))!;

        seenByBob.Approve(Approver(Bob), Now);
        seenByErin.Approve(Approver(Erin), Now);
        var outcomes = await Task.WhenAll(store.SaveAsync(seenByBob, Ct), store.SaveAsync(seenByErin, Ct));

        Assert.Equal(1, outcomes.Count(o => o == SaveOutcome.Saved));
        Assert.Equal(1, outcomes.Count(o => o == SaveOutcome.Conflict));
        var trail = await store.AuditTrailAsync("req-1", Ct);
        Assert.Single(trail, a => a.Action == "Approve");
    }

    [Fact]
    public async Task The_audit_trail_is_append_only()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        await using var connection = await db.Database.OpenAsync(Ct);
        await using var tamper = connection.CreateCommand();
        tamper.CommandText = "UPDATE audit SET actor_id = 'mallory'";

        var error = await Assert.ThrowsAsync<SqliteException>(() => tamper.ExecuteNonQueryAsync(Ct));
        Assert.Contains("append-only", error.Message);
    }

    [Fact]
    public async Task Migrating_twice_keeps_the_data()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new RequestStore(db.Database, TestContactProtector.Create(), db.Checkpointer);
        await store.CreateAsync(New(), new AuditNote("alice", "Alice Example", "Requested"), [], Ct);

        await db.Database.MigrateAsync(Ct);

        Assert.NotNull(await store.FindAsync("req-1", Ct));
    }
}
