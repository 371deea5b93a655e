using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Cards;
using ChatOpsMfa.Tests.Teams.Fakes;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// Issue 6 over the Bot Framework protocol: a help-desk request for an @mentioned colleague (told 1:1, objects, the
/// request is cancelled), and the approval card of a privileged target with its Okta facts, valid Adaptive Card 1.5.
/// </summary>
public sealed class TeamsGuardrailFlowTests : TeamsFakeTests
{
    protected override IEnumerable<TeamsTestUser> Members => [Alice, Bob, Carol];

    [Fact]
    public async Task Help_desk_request_for_a_mentioned_colleague_tells_them_1_1_and_their_objection_cancels_it()
    {
        using var host = new TeamsTestHost(Fake, new Dictionary<string, string?> { ["Approvals:HelpDesk:0"] = Bob.AadObjectId });
        var url = host.ServiceUrl;

        // 1. Bob (help desk) mentions Alice in his chat with the bot. Her member is found through the team (a 1:1
        //    chat holds only Bob), and the bot's own mention is not taken for the target.
        using (var said = await host.SendSignedAsync(TeamsActivities.PersonalMessageMentioning(Bob, "mfa-reset", url, Alice), Fake.BotFrameworkKeys[0]))
        {
            Assert.Equal(HttpStatusCode.OK, said.StatusCode);
        }

        var form = TeamsCalls.CardOf(Assert.Single(Sends(Bob.PersonalConversationId)))!;
        AdaptiveCardSchema.Validate(form);
        Assert.Contains("For Alice Example, asked by the help desk", form.ToJsonString());
        var submitData = FindAction(form, "submitRequest")!["data"]!.AsObject();
        var draft = submitData["onBehalfOf"]!.GetValue<string>();
        Assert.Matches("^[0-9A-F]{32}$", draft);

        // 2. Bob submits: the request is his, for Alice's account.
        var data = new JsonObject { ["verb"] = "submitRequest", ["onBehalfOf"] = draft, ["factor"] = "token:software:totp|GOOGLE" };
        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Personal(Bob), "submitRequest", data, url));
        var request = Assert.Single(await host.AllRequestsAsync());
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        Assert.Equal(Bob.AadObjectId, request.Requester.Id);
        Assert.Equal(Alice.Email, request.Target.Login);
        Assert.Equal(Alice.AadObjectId, request.TargetChatUser!.Id);

        // 3. Alice is told in a 1:1 chat the bot opens with her: the titled notice with the Object button.
        await Eventually.WaitUntilAsync(() => Sends("a:1on1-" + Alice.MemberId).Any(), "a Connector call");
        var create = Fake.ConnectorCalls.First(c => c.Method == "POST" && c.Path == "/v3/conversations");
        Assert.Equal(Alice.MemberId, create.Json["members"]![0]!["id"]!.GetValue<string>());
        var notice = TeamsCalls.CardOf(Sends("a:1on1-" + Alice.MemberId).Single())!;
        AdaptiveCardSchema.Validate(notice);
        Assert.Contains($"A reset of your MFA was requested ({RequestPresenter.Reference(request)})", notice.ToJsonString());
        Assert.Contains("Bob Helper", notice.ToJsonString());
        var objectButton = FindAction(notice, "object")!;
        Assert.Equal("Action.Execute", objectButton["type"]!.GetValue<string>());
        Assert.Equal("destructive", objectButton["style"]!.GetValue<string>());

        // 4. Alice objects from that chat: her card is refreshed without buttons and the request is cancelled.
        var answer = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Direct(Alice), "object",
            new JsonObject { ["verb"] = "object", ["requestId"] = request.Id }, url));
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
        AdaptiveCardSchema.Validate(answer["value"]!.AsObject());
        Assert.Null(FindAction(answer["value"]!.AsObject(), "object"));
        Assert.Equal(RequestState.Cancelled, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);

        // 5. The support card is updated in place to show the objection, with no buttons left.
        var rootId = IdOfFirstSupportPost();
        var supportPath = $"/v3/conversations/{SupportChannelId}/activities/{rootId}";
        await Eventually.WaitUntilAsync(() => Fake.ConnectorCalls.Any(c => c.Method == "PUT" && c.Path == supportPath && c.Body.Contains("Objected", StringComparison.Ordinal)), "a Connector call");
        var latest = TeamsCalls.CardOf(Fake.ConnectorCalls.Last(c => c.Method == "PUT" && c.Path == supportPath))!;
        AdaptiveCardSchema.Validate(latest);
        Assert.Null(FindAction(latest, "approve"));

        // Alice's notice is updated in place for everyone who sees it: the Object button is gone.
        var noticePath = $"/v3/conversations/a:1on1-{Alice.MemberId}/activities/";
        await Eventually.WaitUntilAsync(() => Fake.ConnectorCalls.Any(c => c.Method == "PUT" && c.Path.StartsWith(noticePath, StringComparison.Ordinal)), "a Connector call");
        var noticeNow = TeamsCalls.CardOf(Fake.ConnectorCalls.Last(c => c.Method == "PUT" && c.Path.StartsWith(noticePath, StringComparison.Ordinal)))!;
        AdaptiveCardSchema.Validate(noticeNow);
        Assert.Null(FindAction(noticeNow, "object"));
    }

    /// <summary>
    /// The typed email is only a search key: the person is the Teams member of the pinned tenant whose email
    /// Microsoft's Connector gave (the support team's roster), and they are told and may object. An email no member
    /// has is answered with how to mention them instead.
    /// </summary>
    [Fact]
    public async Task Naming_a_colleague_by_email_finds_only_a_member_the_Connector_described_and_otherwise_asks_for_a_mention()
    {
        using var host = new TeamsTestHost(Fake, new Dictionary<string, string?> { ["Approvals:HelpDesk:0"] = Bob.AadObjectId });

        using var known = await host.SendSignedAsync(
            TeamsActivities.PersonalMessage(Bob, "<at>ChatOps MFA</at> mfa-reset alice@example.com", host.ServiceUrl), Fake.BotFrameworkKeys[0]);
        using var unknown = await host.SendSignedAsync(
            TeamsActivities.PersonalMessage(Bob, "<at>ChatOps MFA</at> mfa-reset mallory@example.com", host.ServiceUrl), Fake.BotFrameworkKeys[0]);

        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        var answers = Sends(Bob.PersonalConversationId).ToList();
        Assert.Equal(2, answers.Count);
        Assert.NotNull(TeamsCalls.CardOf(answers[0]));
        Assert.Contains("Which factor should Alice Example set up?", answers[0].Json["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(TeamsCalls.CardOf(answers[1]));
        Assert.Contains("mention", answers[1].Json["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await host.AllRequestsAsync());
    }

    [Fact]
    public async Task Approval_card_for_a_privileged_target_shows_the_okta_facts_and_the_second_approval_needed()
    {
        using var host = new TeamsTestHost(Fake);
        var url = host.ServiceUrl;

        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Carol, TeamsActivities.Personal(Carol), "submitRequest",
            new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }, url));
        var request = Assert.Single(await host.AllRequestsAsync());
        Assert.Equal(Carol.Email, request.Target.Login);

        // Everyone sees the facts and the note in the posted card; Bob's refreshed card has them with the buttons.
        await Eventually.WaitUntilAsync(() => Sends(SupportChannelId).Any(), "the approval card");
        var posted = TeamsCalls.CardOf(Assert.Single(Sends(SupportChannelId)))!;
        var bobView = (await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), "refreshCard",
            new JsonObject { ["verb"] = "refreshCard", ["requestId"] = request.Id }, url, IdOfFirstSupportPost(), trigger: "automatic")))["value"]!.AsObject();
        foreach (var card in new[] { posted, bobView })
        {
            AdaptiveCardSchema.Validate(card);
            var facts = Facts(card);
            Assert.Contains("SUPER_ADMIN", facts["Admin roles"], StringComparison.Ordinal);
            Assert.True(facts.ContainsKey("Identity"));
            Assert.True(facts.ContainsKey("Factors now"));
            Assert.Contains("2 more approval(s) needed", card.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.NotNull(FindAction(bobView, "approve"));

        // One approval leaves it waiting for the second.
        var afterOne = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), "approve",
            new JsonObject { ["verb"] = "approve", ["requestId"] = request.Id }, url, IdOfFirstSupportPost()));
        Assert.Contains("1 more approval(s) needed", afterOne["value"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
    }

    private IEnumerable<RecordedCall> Sends(string conversationId) =>
        Fake.ConnectorCalls.Where(c => c.Method == "POST" && c.Path == $"/v3/conversations/{conversationId}/activities");

    /// <summary>The fake numbers its sends from 1001 in order; the support card is the first send to the support channel.</summary>
    private string IdOfFirstSupportPost()
    {
        var sends = Fake.ConnectorCalls.Where(c => c.Method == "POST" && c.Path.EndsWith("/activities", StringComparison.Ordinal)).ToList();
        var index = sends.FindIndex(c => c.Path == $"/v3/conversations/{SupportChannelId}/activities");
        return (1001 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first action anywhere in the card whose verb (or data.verb) is <paramref name="verb"/>.</summary>
    private static JsonObject? FindAction(JsonNode? node, string verb) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() is "Action.Execute" or "Action.Submit"
            && (o["verb"]?.GetValue<string>() == verb || o["data"]?["verb"]?.GetValue<string>() == verb) => o,
        JsonObject o => o.Where(p => p.Key != "refresh").Select(p => FindAction(p.Value, verb)).FirstOrDefault(a => a is not null),
        JsonArray a => a.Select(n => FindAction(n, verb)).FirstOrDefault(x => x is not null),
        _ => null,
    };

    /// <summary>Every fact of every FactSet in the card, title to value.</summary>
    private static Dictionary<string, string> Facts(JsonObject card)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o when o["type"]?.GetValue<string>() == "FactSet":
                    foreach (var fact in o["facts"]!.AsArray())
                    {
                        facts[fact!["title"]!.GetValue<string>()] = fact["value"]!.GetValue<string>();
                    }

                    break;
                case JsonObject o:
                    foreach (var child in o)
                    {
                        Walk(child.Value);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                    {
                        Walk(child);
                    }

                    break;
            }
        }

        Walk(card);
        return facts;
    }
}
