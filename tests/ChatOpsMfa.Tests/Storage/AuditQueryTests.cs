using ChatOpsMfa.Storage;
using static ChatOpsMfa.Tests.Audit.AuditSeed;

namespace ChatOpsMfa.Tests.Storage;

/// <summary>
/// The audit export's query on both providers: pages by row id, a time window (from inclusive, to exclusive) and a
/// user filter, each of which may be absent (a null parameter PostgreSQL must still type).
/// </summary>
public class AuditQueryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.PostgreSQL];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Pages_follow_each_other_by_row_id_with_every_row_once(StorageProvider provider)
    {
        await using var db = await SeededAsync(provider);
        var query = new AuditQuery(db.Database);

        var seen = new List<long>();
        var pages = 0;
        for (var after = 0L; ; pages++)
        {
            var page = await query.PageAsync(null, null, null, after, 2, Ct);
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 2);
            seen.AddRange(page.Select(e => e.Id));
            after = page[^1].Id;
        }

        Assert.Equal([1L, 2, 3, 4, 5], seen);
        Assert.Equal(3, pages);
        var first = (await query.PageAsync(null, null, null, 0, 1, Ct)).Single();
        Assert.Equal(("req-alice", 1L, T0, "alice", "Requested", null, "AwaitingApproval"),
            (first.RequestId, first.RequestNumber, first.At, first.ActorId, first.Action, first.FromState, first.ToState));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_time_window_includes_its_start_and_excludes_its_end(StorageProvider provider)
    {
        await using var db = await SeededAsync(provider);
        var query = new AuditQuery(db.Database);

        Assert.Equal(new long[] { 3, 4, 5 }, Ids(await query.PageAsync(T0.AddHours(1), null, null, 0, 100, Ct)));
        Assert.Equal(new long[] { 1, 2 }, Ids(await query.PageAsync(null, T0.AddHours(1), null, 0, 100, Ct)));
        Assert.Equal(new long[] { 2, 3 }, Ids(await query.PageAsync(T0.AddMinutes(5), T0.AddHours(2), null, 0, 100, Ct)));
        Assert.Equal(new long[] { 4 }, Ids(await query.PageAsync(T0.AddMinutes(5), T0.AddHours(2).AddTicks(1), null, 3, 100, Ct)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_user_filter_keeps_what_they_did_asked_for_or_were_the_target_of(StorageProvider provider)
    {
        await using var db = await SeededAsync(provider);
        var query = new AuditQuery(db.Database);

        Assert.Equal(new long[] { 2, 3, 4 }, Ids(await query.PageAsync(null, null, Bob.Id, 0, 100, Ct))); // acted (2, 3), asked (4)
        Assert.Equal(new long[] { 1, 2 }, Ids(await query.PageAsync(null, null, "00ualice", 0, 100, Ct))); // the target
        Assert.Equal(new long[] { 5 }, Ids(await query.PageAsync(T0, null, Carol.Id, 0, 100, Ct)));
        Assert.Empty(await query.PageAsync(null, null, "mallory", 0, 100, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Notes_keep_their_text_exactly(StorageProvider provider)
    {
        await using var db = await SeededAsync(provider);

        var notes = (await new AuditQuery(db.Database).PageAsync(null, null, null, 0, 100, Ct)).Where(e => e.Action == "Commented").ToList();

        Assert.Equal([Formula, NeedsQuoting], notes.Select(n => n.Detail));
    }

    private static long[] Ids(IEnumerable<AuditEntry> entries) => entries.Select(e => e.Id).ToArray();

    private static async Task<TestDatabase> SeededAsync(StorageProvider provider)
    {
        var db = await TestDatabase.CreateAsync(provider);
        await WriteAsync(new RequestStore(db.Database, TestContactProtector.Create(), new WalCheckpointer(db.Database)), Ct);
        return db;
    }
}
