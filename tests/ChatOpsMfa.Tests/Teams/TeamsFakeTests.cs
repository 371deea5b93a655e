using ChatOpsMfa.Tests.Teams.Fakes;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The set-up the Teams host tests share: a fresh fake Bot Framework per test, a channel signing key endorsed for
/// <c>msteams</c>, and the people its Connector knows (<see cref="Members"/>).
/// </summary>
public abstract class TeamsFakeTests : IAsyncLifetime
{
    protected FakeBotFramework Fake { get; private set; } = null!;

    /// <summary>The people the fake's Connector can describe; Alice and Bob unless a test class needs more.</summary>
    protected virtual IEnumerable<TeamsTestUser> Members => [Alice, Bob];

    public async ValueTask InitializeAsync()
    {
        Fake = await FakeBotFramework.StartAsync();
        Fake.BotFrameworkKeys.Add(new TestSigningKey("bf-key-1", "msteams"));
        foreach (var member in Members)
        {
            member.AddTo(Fake);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
