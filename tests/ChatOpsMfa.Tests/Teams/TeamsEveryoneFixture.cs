using ChatOpsMfa.Tests.Teams.Fakes;
using static ChatOpsMfa.Tests.Teams.TeamsStepUpSteps;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>A fake Bot Framework with a Teams signing key, which knows everyone in <see cref="TeamsStepUpSteps.Everyone"/>.</summary>
public abstract class TeamsEveryoneFixture : IAsyncLifetime
{
    protected FakeBotFramework Fake { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Fake = await FakeBotFramework.StartAsync();
        Fake.BotFrameworkKeys.Add(new TestSigningKey("bf-key-1", "msteams"));
        AddPeople(Fake, Everyone);
    }

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
