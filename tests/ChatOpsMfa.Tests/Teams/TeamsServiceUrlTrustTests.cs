using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// Where the bot's Connector token, cards and secrets may go. Any Azure customer can create a name under
/// <c>trafficmanager.net</c>; the test host's HTTP client delivers every off-loopback call to the fake with its Host
/// kept, so the tests see what such a host would have received.
/// </summary>
public sealed class TeamsServiceUrlTrustTests : TeamsFakeTests
{
    private const string LookAlike = "https://evil.trafficmanager.net/teams/";

    protected override IEnumerable<TeamsTestUser> Members => [Alice, Bob, Carol];

    [Fact]
    public async Task A_look_alike_trafficmanager_host_gets_no_token_no_cards_and_no_totp_key()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await TeamsScenario.PendingRequestAsync(host);

        // A correctly signed activity (a token for that serviceUrl) that points at the look-alike host: refused.
        using (var refused = await host.SendSignedAsync(TeamsScenario.Approve(Bob, request, LookAlike), Fake.BotFrameworkKeys[0]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        await TeamsScenario.AssertNothingHappenedAsync(host, request);

        // The genuine approval afterwards: every card, thread reply and Alice's secret go to the genuine host only.
        await TeamsCalls.InvokeAsync(host, TeamsScenario.Approve(Bob, request, host.ServiceUrl));
        var enrolled = await TeamsActivationSteps.WaitForAsync(host, request.Id,
            r => r.State == RequestState.AwaitingActivation && r.KeyMessage is not null && r.ActivationMessage is not null, "the key card");
        var key = Cards.CardText.SetupKey(TeamsActivationSteps.CardNow(host, enrolled.KeyMessage!));
        Assert.False(string.IsNullOrEmpty(key));
        Assert.Contains(Fake.ConnectorCalls, c => c.Body.Contains(key, StringComparison.Ordinal));
        Assert.NotEmpty(Fake.ConnectorCalls);
        Assert.All(Fake.Calls, c => Assert.Equal("127.0.0.1", c.Host));
    }

    [Fact]
    public async Task An_activity_never_changes_where_other_conversations_messages_go()
    {
        const string Regional = "https://teams-emea.example/";
        using var host = new TeamsTestHost(Fake, new Dictionary<string, string?> { ["TrustedServiceUrlHosts"] = "127.0.0.1,teams-emea.example" });

        // Carol talks to the bot through another (trusted) serviceUrl: her own conversation is answered there.
        using (await host.SendSignedAsync(TeamsActivities.PersonalMessage(Carol, "hello", Regional), Fake.BotFrameworkKeys[0]))
        {
        }

        Assert.NotEmpty(Fake.ConnectorCalls);
        Assert.All(Fake.ConnectorCalls, c => Assert.Equal("teams-emea.example", c.Host));
        Fake.ResetRecording();

        // What the bot sends later on its own (the outbox, the Okta worker): the support channel and a chat it has
        // not heard from use the configured serviceUrl, never the one Carol's activity came with.
        var channel = host.Services.GetRequiredService<TeamsChatChannel>();
        await channel.PostAsync(channel.SupportConversation, new ChatMessage("approval card"), CancellationToken.None);
        await channel.PostAsync(new ConversationRef("msteams", Alice.PersonalConversationId, false, FakeBotFramework.TenantId),
            new ChatMessage("status card"), CancellationToken.None);
        await channel.PostAsync(new ConversationRef("msteams", Carol.PersonalConversationId, false, FakeBotFramework.TenantId),
            new ChatMessage("Carol's answer"), CancellationToken.None);

        Assert.Equal(["127.0.0.1", "127.0.0.1", "teams-emea.example"], Fake.ConnectorCalls.Select(c => c.Host));
    }
}
