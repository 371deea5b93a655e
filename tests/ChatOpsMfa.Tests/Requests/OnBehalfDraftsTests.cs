using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Storage;
using Microsoft.Extensions.Time.Testing;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Requests;

public class OnBehalfDraftsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_help_desk_member_who_made_a_draft_can_use_it_once()
    {
        await using var db = await TempDatabase.CreateAsync();
        var drafts = new OnBehalfDrafts(db.Database, new FakeTimeProvider(Now));
        var id = await drafts.CreateAsync(Bob, Alice, Ct);

        Assert.Null(await drafts.TakeAsync(id, Mallory, Ct));
        Assert.Equal(Alice, await drafts.TakeAsync(id, Bob, Ct));
        Assert.Null(await drafts.TakeAsync(id, Bob, Ct));
    }

    [Fact]
    public async Task A_draft_expires_after_half_an_hour()
    {
        await using var db = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(Now);
        var drafts = new OnBehalfDrafts(db.Database, clock);
        var id = await drafts.CreateAsync(Bob, Alice, Ct);

        clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(await drafts.TakeAsync(id, Bob, Ct));
    }
}
