using System.Net;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Teams.Fakes;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// Teams shows the clicker an error when an <c>adaptiveCard/action</c> invoke is not answered within a few seconds.
/// The answer goes as soon as the decision is stored; the Connector work the click causes follows it.
/// </summary>
public sealed class TeamsInvokeDeadlineTests : TeamsFakeTests
{

    [Fact]
    public async Task An_approve_is_answered_while_a_slow_Connector_still_holds_the_card_updates()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await TeamsScenario.PendingRequestAsync(host);
        HttpResponseMessage response;
        using (Fake.HoldConnector()) // every Connector call now takes up to 10 s
        {
            var click = host.SendSignedAsync(TeamsScenario.Approve(Bob, request, host.ServiceUrl), Fake.BotFrameworkKeys[0]);
            response = await click.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            // Answered while the Connector was still holding the bot's first call, before anything was updated.
            Assert.True(Fake.ConnectorCallsLetGo == 0, "the click was answered only after the Connector let go");
            Assert.NotEqual(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
            Assert.Contains("Bob Helper", answer["value"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("\"verb\":\"approve\"", answer["value"]!.ToJsonString(), StringComparison.Ordinal);
        }

        // Released: the work the click caused is done (reset and enrolment: the new factor waits for Alice's code),
        // the card updated in place and Alice's key card sent.
        await Eventually.WaitUntilAsync(() => host.Store.FindAsync(request.Id, CancellationToken.None).Result!.State == RequestState.AwaitingActivation,
            "the reset", TimeSpan.FromSeconds(30));
        await Eventually.WaitUntilAsync(() => Fake.ConnectorCalls.Any(c => c.Method == "PUT" && c.Path.Contains(SupportChannelId, StringComparison.Ordinal)),
            "the card update", TimeSpan.FromSeconds(30));
        await Eventually.WaitUntilAsync(() => Fake.ConnectorCalls.Any(c => c.Method == "POST"
            && c.Path == $"/v3/conversations/{Alice.PersonalConversationId}/activities"
            && ChatOpsMfa.Tests.Cards.CardText.SetupKey(TeamsCalls.CardOf(c)) is { Length: > 0 }), "the key card", TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// The request's earlier messages are still stuck in a slow Connector when the approver clicks: the click's own
    /// chat work queues behind them and calls nothing yet, but the decision is stored, so the click is answered.
    /// </summary>
    [Fact]
    public async Task An_approve_is_answered_while_earlier_messages_of_the_request_are_still_stuck_in_the_Connector()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();
        using (Fake.HoldConnector())
        {
            var submitted = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "submitRequest",
                new System.Text.Json.Nodes.JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }, host.ServiceUrl))
                .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal(200, submitted["statusCode"]!.GetValue<int>());
            var request = Assert.Single(await host.AllRequestsAsync());
            Assert.True(Fake.ConnectorCallsLetGo == 0, "the approval card was already delivered");

            var answer = await TeamsCalls.InvokeAsync(host, TeamsScenario.Approve(Bob, request, host.ServiceUrl))
                .WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            Assert.True(Fake.ConnectorCallsLetGo == 0, "the click was answered only after the Connector let go");
            Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
            Assert.Contains("Bob Helper", answer["value"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.NotEqual(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        }
    }
}
