using ChatOpsMfa.Requests;
using Microsoft.Extensions.Time.Testing;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Requests;

public class OnBehalfDraftsTests
{
    [Fact]
    public void Only_the_help_desk_member_who_made_a_draft_can_use_it_once()
    {
        var drafts = new OnBehalfDrafts(new FakeTimeProvider(Now));
        var id = drafts.Create(Bob, Alice);

        Assert.Null(drafts.Take(id, Mallory));
        Assert.Equal(Alice, drafts.Take(id, Bob));
        Assert.Null(drafts.Take(id, Bob));
    }

    [Fact]
    public void A_draft_expires_after_half_an_hour()
    {
        var clock = new FakeTimeProvider(Now);
        var drafts = new OnBehalfDrafts(clock);
        var id = drafts.Create(Bob, Alice);

        clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(drafts.Take(id, Bob));
    }
}
