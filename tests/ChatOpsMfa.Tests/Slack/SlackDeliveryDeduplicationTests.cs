using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Slack.Inbound;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// Slack retries a delivery it thinks was lost (and Socket Mode may hand a retry to another connection), so the same
/// event, trigger or click can reach any instance more than once. The de-duplication keys live in the database: on
/// both providers, the first attempt anywhere wins and every repeat within <c>Slack:DeduplicationWindow</c> is refused.
/// </summary>
public class SlackDeliveryDeduplicationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.PostgreSQL];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_first_delivery_begins_and_a_repeat_does_not(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var deliveries = Deduplicator(db, new FakeTimeProvider(Start));

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
        var clock = new FakeTimeProvider(Start);
        var instances = Enumerable.Range(0, 3).Select(_ => Deduplicator(db, clock)).ToArray();

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
        var clock = new FakeTimeProvider(Start);
        var (first, second) = (Deduplicator(db, clock, TimeSpan.FromMinutes(5)), Deduplicator(db, clock, TimeSpan.FromMinutes(5)));
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
        var clock = new FakeTimeProvider(Start);
        var deliveries = Deduplicator(db, clock, TimeSpan.FromMinutes(5));
        Assert.True(await deliveries.TryBeginAsync("event:old", Ct));
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await deliveries.TryBeginAsync("event:recent", Ct));

        clock.Advance(TimeSpan.FromMinutes(3)); // "old" has run out, "recent" has not
        Assert.True(await deliveries.TryBeginAsync("event:new", Ct));

        Assert.Equal(["event:new", "event:recent"], await KeysAsync(db));
    }

    /// <summary>One instance's recorder (each instance of the bot has its own, on the shared database).</summary>
    private static SlackDeliveryRecorder Deduplicator(TestDatabase db, TimeProvider clock, TimeSpan? window = null) =>
        new(db.Database, Options.Create(new SlackOptions { DeduplicationWindow = window ?? TimeSpan.FromMinutes(10) }), clock);

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
