using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Channels.Teams.Connector;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// <see cref="IChatChannel.FindUserByEmailAsync"/> in Teams (how the manager and the approvers listed by email are
/// reached): only members the Connector described in the pinned tenant, matched on the one attribute
/// <c>Teams:UserEmailAttribute</c> names.
/// </summary>
public sealed class TeamsUserSearchTests : TeamsFakeTests
{
    protected override IEnumerable<TeamsTestUser> Members => [Alice, Bob, Dave];

    [Fact]
    public async Task A_member_of_the_support_team_is_found_by_their_email_with_their_Entra_object_id()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();

        var found = await Channel(host).FindUserByEmailAsync("DAVE@example.com ", CancellationToken.None);

        Assert.Equal(new ChatUser(Dave.AadObjectId, Dave.Name, Dave.Email) { Channel = "msteams" }, found);
        Assert.Null(await Channel(host).FindUserByEmailAsync("erin@example.com", CancellationToken.None));
        Assert.Null(await Channel(host).FindUserByEmailAsync("", CancellationToken.None));
    }

    [Fact]
    public async Task A_member_of_another_tenant_with_the_same_email_is_not_found()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();
        await host.Services.GetRequiredService<TeamsDirectoryStore>().SaveMembersAsync("0e0e0000-0000-4000-8000-000000000000",
            [new TeamsMember("29:1intruder", "Erin Lookalike", "erin@example.com", "erin@example.com", "1111aaaa-0000-4000-8000-000000000009", "0e0e0000-0000-4000-8000-000000000000")],
            DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Null(await Channel(host).FindUserByEmailAsync("erin@example.com", CancellationToken.None));
    }

    [Fact]
    public async Task Only_the_configured_attribute_is_compared_so_a_UPN_does_not_stand_in_for_an_email()
    {
        // Someone whose UPN is the manager's email but whose mail is another: with UserEmailAttribute=email, not the manager.
        Fake.AddMember("29:1lookalike", "Dave Lookalike", "1111bbbb-0000-4000-8000-00000000000a", "someone.else@example.com", userPrincipalName: "dave.manager@example.com");
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();

        Assert.Null(await Channel(host).FindUserByEmailAsync("dave.manager@example.com", CancellationToken.None));

        using var byUpn = new TeamsTestHost(Fake, new Dictionary<string, string?> { ["Teams:UserEmailAttribute"] = "userPrincipalName" });
        await byUpn.StartAsync();
        Assert.Equal("1111bbbb-0000-4000-8000-00000000000a", (await Channel(byUpn).FindUserByEmailAsync("dave.manager@example.com", CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task A_bot_serving_several_tenants_finds_nobody_by_email()
    {
        using var host = new TeamsTestHost(Fake, new Dictionary<string, string?>
        {
            ["Teams:AllowedTenants"] = FakeBotFramework.TenantId + ",0e0e0000-0000-4000-8000-000000000000",
        });
        await host.StartAsync();

        Assert.Null(await Channel(host).FindUserByEmailAsync("dave@example.com", CancellationToken.None));
    }

    private static IChatChannel Channel(TeamsTestHost host) => host.Services.GetRequiredService<TeamsChatChannel>();
}
