using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Slack.Inbound;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// The recorder the work queues begin every job with: under a burst, on SQLite, it writes the waiting keys in one
/// transaction. A retry must still be processed once, whichever path recorded the first copy, on both providers.
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
        await using var db = await TestDatabase.CreateAsync(provider);
        var (deduplicator, recorder) = Create(db, new FakeTimeProvider(Now));
        var keys = Enumerable.Range(0, 40).Select(i => $"command:trigger-{i}").ToList();
        var copies = keys.SelectMany(k => new[] { k, k, k }).OrderBy(_ => Random.Shared.Next()).ToList();

        var begun = await Task.WhenAll(copies.Select(key => Task.Run(async () => (Key: key, First: await recorder.TryBeginAsync(key, Ct)), Ct)));

        Assert.All(keys, key => Assert.Single(begun, b => b.Key == key && b.First));
        Assert.Equal(keys.Count, begun.Count(b => b.First));
        // The de-duplicator (one key, one transaction) sees the same keys as repeats: both paths agree on what was delivered.
        Assert.False(await deduplicator.TryBeginAsync(keys[0], Ct));
        Assert.True(await deduplicator.TryBeginAsync("command:trigger-new", Ct));
        Assert.False(await recorder.TryBeginAsync("command:trigger-new", Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_key_is_a_repeat_within_the_window_and_new_again_after_it(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var (_, recorder) = Create(db, clock);

        Assert.True(await recorder.TryBeginAsync("event:Ev1", Ct));
        clock.Advance(new SlackOptions().DeduplicationWindow - TimeSpan.FromSeconds(1));
        Assert.False(await recorder.TryBeginAsync("event:Ev1", Ct));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await recorder.TryBeginAsync("event:Ev1", Ct));
        Assert.False(await recorder.TryBeginAsync("event:Ev1", Ct));
    }

    private static (SlackDeliveryDeduplicator, SlackDeliveryRecorder) Create(TestDatabase db, TimeProvider clock)
    {
        var options = Options.Create(new SlackOptions());
        var deduplicator = new SlackDeliveryDeduplicator(db.Database, options, clock);
        return (deduplicator, new SlackDeliveryRecorder(deduplicator, db.Database, options, clock));
    }
}
