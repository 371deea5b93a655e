using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// The leases that make several instances do each piece of work once, on both providers: two "instances" here are two
/// <see cref="WorkLeases"/> with their own identity on one database.
/// </summary>
public class WorkLeasesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.PostgreSQL];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_request_leased_by_one_instance_is_refused_to_another_until_the_lease_runs_out(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var requestId = await CreateRequestAsync(db, clock);
        var (first, second) = (Leases(db, clock), Leases(db, clock));

        Assert.True(await first.TryTakeAsync(LeaseKind.OktaWork, requestId, Ct));
        Assert.True(await first.TryTakeAsync(LeaseKind.OktaWork, requestId, Ct)); // its own: a renewal
        Assert.False(await second.TryTakeAsync(LeaseKind.OktaWork, requestId, Ct));
        Assert.True(await second.TryTakeAsync(LeaseKind.Outbox, requestId, Ct)); // the other kind is a lease of its own

        clock.Advance(TimeSpan.FromSeconds(31)); // Outbox:LeaseTimeout is 30 s: the first instance died
        Assert.True(await second.TryTakeAsync(LeaseKind.OktaWork, requestId, Ct));
        Assert.False(await first.TryTakeAsync(LeaseKind.OktaWork, requestId, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_lease_given_back_is_taken_at_once_and_only_its_holder_can_give_it_back(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var requestId = await CreateRequestAsync(db, clock);
        var (first, second) = (Leases(db, clock), Leases(db, clock));

        Assert.True(await first.TryTakeAsync(LeaseKind.Outbox, requestId, Ct));
        await second.ReleaseAsync(LeaseKind.Outbox, requestId, Ct);
        Assert.False(await second.TryTakeAsync(LeaseKind.Outbox, requestId, Ct));

        await first.ReleaseAsync(LeaseKind.Outbox, requestId, Ct);
        Assert.True(await second.TryTakeAsync(LeaseKind.Outbox, requestId, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Instances_claiming_at_once_split_the_okta_work_and_none_is_claimed_twice(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await CreateRequestAsync(db, clock, approved: true));
        }

        var awaiting = await CreateRequestAsync(db, clock); // no Okta work yet: never claimed
        var instances = Enumerable.Range(0, 3).Select(_ => Leases(db, clock)).ToArray();

        var claims = await Task.WhenAll(instances.Select(l => Task.Run(() => l.ClaimAsync(LeaseKind.OktaWork, 5, Ct), Ct)));

        var claimed = claims.SelectMany(c => c).ToList();
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.DoesNotContain(awaiting, claimed);
        Assert.All(claims, c => Assert.True(c.Count <= 5));
        var rest = await instances[0].ClaimAsync(LeaseKind.OktaWork, 20, Ct);
        Assert.Equal(ids.Order(), claimed.Concat(rest).Order());

        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(12, (await instances[1].ClaimAsync(LeaseKind.OktaWork, 20, Ct)).Count); // all ran out: taken over
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Only_requests_with_a_message_due_are_claimed_for_the_outbox(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var withMessage = await CreateRequestAsync(db, clock, messages: [new OutboxMessage(OutboxKind.ApprovalCard)]);
        var without = await CreateRequestAsync(db, clock);

        var claimed = await Leases(db, clock).ClaimAsync(LeaseKind.Outbox, 10, Ct);

        Assert.Equal([withMessage], claimed);
        Assert.DoesNotContain(without, claimed);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_sweep_runs_on_one_instance_until_it_stops_renewing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var (first, second) = (Leases(db, clock), Leases(db, clock));
        var interval = TimeSpan.FromSeconds(15);

        Assert.True(await first.TryTakeSweepAsync("expiry", interval, Ct));
        Assert.False(await second.TryTakeSweepAsync("expiry", interval, Ct));
        clock.Advance(interval);
        Assert.True(await first.TryTakeSweepAsync("expiry", interval, Ct)); // renewed each round
        Assert.False(await second.TryTakeSweepAsync("expiry", interval, Ct));
        Assert.True(await second.TryTakeSweepAsync("activations", interval, Ct)); // another sweep, another lease

        clock.Advance(interval * 2 + TimeSpan.FromSeconds(31)); // the first died
        Assert.True(await second.TryTakeSweepAsync("expiry", interval, Ct));
        Assert.False(await first.TryTakeSweepAsync("expiry", interval, Ct));

        await second.ReleaseAllAsync(Ct); // a clean shutdown gives everything back
        Assert.True(await first.TryTakeSweepAsync("activations", interval, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_hold_taken_over_by_another_instance_refuses_the_next_okta_call_and_is_not_given_back(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        // The stalled process's clock stands still (its renewal never comes round); the other instance's runs on.
        var (stalledClock, clock) = (new FakeTimeProvider(Now), new FakeTimeProvider(Now));
        var requestId = await CreateRequestAsync(db, clock, approved: true);
        var (stalled, other) = (Leases(db, stalledClock), Leases(db, clock));

        var hold = await stalled.HoldAsync(LeaseKind.OktaWork, requestId, Ct);
        Assert.NotNull(hold);
        Assert.Null(await other.HoldAsync(LeaseKind.OktaWork, requestId, Ct));
        await hold.EnsureHeldAsync(Ct); // still ours

        clock.Advance(TimeSpan.FromSeconds(31)); // the first stalled past its lease: the other claims the work
        Assert.Equal([requestId], await other.ClaimAsync(LeaseKind.OktaWork, 10, Ct));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hold.EnsureHeldAsync(Ct));
        Assert.True(hold.Lost.IsCancellationRequested);
        await hold.DisposeAsync(); // must not release the other instance's lease
        Assert.False(await stalled.TryTakeAsync(LeaseKind.OktaWork, requestId, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Work_that_failed_unexpectedly_waits_for_its_lease_to_run_out_here_and_elsewhere(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var requestId = await CreateRequestAsync(db, clock, approved: true);
        var (failed, other) = (Leases(db, clock), Leases(db, clock));

        var hold = await failed.HoldAsync(LeaseKind.OktaWork, requestId, Ct);
        Assert.NotNull(hold);
        hold.KeepUntilExpiry(thisInstanceToo: true);
        await hold.DisposeAsync();

        Assert.Null(await failed.HoldAsync(LeaseKind.OktaWork, requestId, Ct)); // queued here again: not yet
        Assert.Null(await other.HoldAsync(LeaseKind.OktaWork, requestId, Ct));
        Assert.Empty(await other.ClaimAsync(LeaseKind.OktaWork, 10, Ct));

        clock.Advance(TimeSpan.FromSeconds(31));
        var again = await failed.HoldAsync(LeaseKind.OktaWork, requestId, Ct);
        Assert.NotNull(again); // tried again once the lease ran out
        await again.DisposeAsync();
    }

    [Fact]
    public async Task A_host_stopped_twice_at_once_gives_its_leases_back_once_and_a_late_second_stop_touches_no_database()
    {
        // WebApplicationFactory stops the host while Program's RunAsync stops it too. The test host deletes the database
        // as soon as its own stop returns, so a second release that began late found it gone (SQLite error 14).
        await using var db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var clock = new FakeTimeProvider(Now);
        var requestId = await CreateRequestAsync(db, clock);
        var (stopping, other) = (Leases(db, clock), Leases(db, clock));
        Assert.True(await stopping.TryTakeAsync(LeaseKind.Outbox, requestId, Ct));
        var logs = new CapturedLogs();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));
        var releaser = new LeaseReleaser(stopping, loggers.CreateLogger<LeaseReleaser>());

        await Task.WhenAll(releaser.StopAsync(Ct), releaser.StopAsync(Ct));
        Assert.True(await other.TryTakeAsync(LeaseKind.Outbox, requestId, Ct)); // given back: taken at once

        // The owner saw the host stopped and removed its database; a stop that comes only now must not open it again.
        var path = new SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        await releaser.StopAsync(Ct);
        Assert.False(File.Exists(path));
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    private static WorkLeases Leases(TestDatabase db, TimeProvider clock) =>
        new(db.Database, new InstanceIdentity(), new FixedOptions(), clock);

    private static async Task<string> CreateRequestAsync(
        TestDatabase db, TimeProvider clock, bool approved = false, IReadOnlyList<OutboxMessage>? messages = null)
    {
        var store = new RequestStore(db.Database, TestContactProtector.Create(), new WalCheckpointer(db.Database));
        var template = New();
        var now = clock.GetUtcNow();
        var request = new ResetRequest(Guid.NewGuid().ToString("N"), Alice, template.RequesterConversation, template.Target, template.Factor,
            now, now.AddMinutes(30));
        await store.CreateAsync(request, new AuditNote(Alice.Id, Alice.Name, "Requested"), messages ?? [], Ct);
        if (approved)
        {
            Assert.True(request.Approve(Approver(Bob), clock.GetUtcNow()).Succeeded);
            Assert.Equal(SaveOutcome.Saved, await store.SaveAsync(request, Ct));
        }

        return request.Id;
    }

    private sealed class FixedOptions : IOptionsMonitor<OutboxOptions>
    {
        public OutboxOptions CurrentValue { get; } = new();

        public OutboxOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<OutboxOptions, string?> listener) => null;
    }
}
