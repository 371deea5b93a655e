using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Storage;
using Microsoft.Extensions.Time.Testing;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Requests;

/// <summary>On-behalf drafts live in the database, on both providers, so the form's submission may reach any instance.</summary>
public class OnBehalfDraftsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StorageProvider> Providers => [StorageProvider.Sqlite, StorageProvider.PostgreSQL];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Only_the_help_desk_member_who_made_a_draft_can_use_it_once(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var drafts = new OnBehalfDrafts(db.Database, new FakeTimeProvider(Now));
        var id = await drafts.CreateAsync(Bob, Alice, Ct);

        Assert.Null(await drafts.TakeAsync(id, Mallory, Ct));
        Assert.Equal(Alice, await drafts.TakeAsync(id, Bob, Ct));
        Assert.Null(await drafts.TakeAsync(id, Bob, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_draft_expires_after_half_an_hour(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var drafts = new OnBehalfDrafts(db.Database, clock);
        var id = await drafts.CreateAsync(Bob, Alice, Ct);

        clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(await drafts.TakeAsync(id, Bob, Ct));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_draft_made_on_one_instance_is_taken_on_another_and_only_once_when_both_try(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var clock = new FakeTimeProvider(Now);
        var made = new OnBehalfDrafts(db.Database, clock);
        var instances = Enumerable.Range(0, 4).Select(_ => new OnBehalfDrafts(db.Database, clock)).ToArray();
        var id = await made.CreateAsync(Bob, Alice, Ct);
        var other = await made.CreateAsync(Erin, Bob, Ct);

        var taken = await Task.WhenAll(instances.Select(d => Task.Run(() => d.TakeAsync(id, Bob, Ct), Ct)));

        Assert.Equal(Alice, Assert.Single(taken, t => t is not null));
        Assert.Equal(Bob, await instances[0].TakeAsync(other, Erin, Ct)); // the other draft was left alone
    }
}
