using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Slack.Inbound;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Slack retries a delivery it thinks was lost (and Socket Mode may hand a retry to another connection), so the same
/// event, trigger or click can reach any instance more than once. The recorder the work queues begin every job with
/// keeps the keys in the database: on both providers the first attempt anywhere wins and every repeat within
/// <c>Slack:DeduplicationWindow</c> is refused, also when a burst's keys are written in groups.
/// </summary>
public class SlackDeliveryRecorderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 16, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.PostgreSQL];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_burst_in_which_every_delivery_arrives_three_times_begins_each_delivery_once(StorageProvider provider)
    {
        // Three instances' recorders on one database, each given copies of every key at once: their groups overlap, and
        // on PostgreSQL two of them write the same keys in concurrent transactions (sorted, so no deadlock).
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        using var first = Create(db, clock);
        using var second = Create(db, clock);
        using var third = Create(db, clock);
        var instances = new[] { first, second, third };
        var keys = Enumerable.Range(0, 40).Select(i => $"command:trigger-{i}").ToList();
        var copies = keys.SelectMany(k => new[] { k, k, k }).OrderBy(_ => Random.Shared.Next()).ToList();

        var begun = await Task.WhenAll(copies.Select((key, i) =>
            Task.Run(async () => (Key: key, First: await instances[i % 3].TryBeginAsync(key, Ct)), Ct)));

        Assert.All(keys, key => Assert.Single(begun, b => b.Key == key && b.First));
        Assert.Equal(keys.Count, begun.Count(b => b.First));
        Assert.False(await first.TryBeginAsync(keys[0], Ct));
        Assert.True(await second.TryBeginAsync("command:trigger-new", Ct));
        Assert.False(await third.TryBeginAsync("command:trigger-new", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_key_twice_in_one_group_begins_once(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        using var recorder = Create(db, new FakeTimeProvider(Now));

        // Many copies queued together land in the same group (or in the next one): one begins.
        var begun = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => recorder.TryBeginAsync("event:Ev-same", Ct)));

        Assert.Single(begun, b => b);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_failed_write_fails_every_caller_of_its_group_and_the_recorder_goes_on(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        using var recorder = Create(db, new FakeTimeProvider(Now));
        await using (var connection = await db.Database.OpenAsync(Ct))
        {
            await using var rename = connection.CreateCommand();
            rename.CommandText = "ALTER TABLE slack_deliveries RENAME TO slack_deliveries_gone";
            await rename.ExecuteNonQueryAsync(Ct);
        }

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => recorder.TryBeginAsync("event:Ev-lost", Ct));

        await using (var connection = await db.Database.OpenAsync(Ct))
        {
            await using var rename = connection.CreateCommand();
            rename.CommandText = "ALTER TABLE slack_deliveries_gone RENAME TO slack_deliveries";
            await rename.ExecuteNonQueryAsync(Ct);
        }

        Assert.True(await recorder.TryBeginAsync("event:Ev-lost", Ct)); // nothing was recorded by the failed group
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_key_is_a_repeat_within_the_window_and_new_again_after_it(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        using var recorder = Create(db, clock);

        Assert.True(await recorder.TryBeginAsync("event:Ev1", Ct));
        clock.Advance(new SlackOptions().DeduplicationWindow - TimeSpan.FromSeconds(1));
        Assert.False(await recorder.TryBeginAsync("event:Ev1", Ct));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await recorder.TryBeginAsync("event:Ev1", Ct));
        Assert.False(await recorder.TryBeginAsync("event:Ev1", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_first_delivery_begins_and_a_repeat_does_not(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var deliveries = Create(db, new FakeTimeProvider(Now));

        Assert.True(await deliveries.TryBeginAsync("event:Ev0001", Ct));
        Assert.False(await deliveries.TryBeginAsync("event:Ev0001", Ct));
        Assert.True(await deliveries.TryBeginAsync("event:Ev0002", Ct));
        Assert.False(await deliveries.TryBeginAsync("event:Ev0002", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Of_many_copies_reaching_several_instances_at_once_exactly_one_begins(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var instances = Enumerable.Range(0, 3).Select(_ => Create(db, clock)).ToArray();

        var begun = await Task.WhenAll(Enumerable.Range(0, 24)
            .Select(i => Task.Run(() => instances[i % instances.Length].TryBeginAsync("action:trigger-1", Ct), Ct)));

        Assert.Single(begun, b => b);
        Assert.False(await instances[0].TryBeginAsync("action:trigger-1", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_key_is_remembered_for_the_window_and_may_begin_again_after_it(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var (first, second) = (Create(db, clock, TimeSpan.FromMinutes(5)), Create(db, clock, TimeSpan.FromMinutes(5)));
        Assert.True(await first.TryBeginAsync("event:Ev0001", Ct));

        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.False(await second.TryBeginAsync("event:Ev0001", Ct));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await second.TryBeginAsync("event:Ev0001", Ct)); // the window is over: it is a new delivery now
        Assert.False(await first.TryBeginAsync("event:Ev0001", Ct)); // and that one is remembered in turn
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Expired_keys_are_deleted_and_live_ones_kept(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var deliveries = Create(db, clock, TimeSpan.FromMinutes(5));
        Assert.True(await deliveries.TryBeginAsync("event:old", Ct));
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await deliveries.TryBeginAsync("event:recent", Ct));

        clock.Advance(TimeSpan.FromMinutes(3)); // "old" has run out, "recent" has not
        Assert.True(await deliveries.TryBeginAsync("event:new", Ct));

        Assert.Equal(["event:new", "event:recent"], await KeysAsync(db));
    }

    /// <summary>One instance's recorder (each instance of the bot has its own, on the shared database).</summary>
    private static SlackDeliveryRecorder Create(TestDatabase db, TimeProvider clock, TimeSpan? window = null) =>
        new(db.Database, Options.Create(new SlackOptions { DeduplicationWindow = window ?? new SlackOptions().DeduplicationWindow }), clock);

    private static async Task<List<string>> KeysAsync(TestDatabase db)
    {
        await using var connection = await db.Database.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT delivery_key FROM slack_deliveries ORDER BY delivery_key";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var keys = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
