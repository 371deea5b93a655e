using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Cards;
using ChatOpsMfa.Tests.Teams.Fakes;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// The whole recovery over the Bot Framework protocol: signed activities in, Connector calls out (recorded by the
/// fake Connector, which insists on the bot's bearer token), real SQLite and the Okta sandbox behind.
/// </summary>
public sealed class TeamsFlowTests : IAsyncLifetime
{
    private FakeBotFramework _fake = null!;
    private TestSigningKey Key => _fake.BotFrameworkKeys[0];

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeBotFramework.StartAsync();
        _fake.BotFrameworkKeys.Add(new TestSigningKey("bf-key-1", "msteams"));
        Alice.AddTo(_fake);
        Bob.AddTo(_fake);
        Carol.AddTo(_fake);
    }

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Message_invoke_approval_thread_update_and_private_result_go_through_the_Connector()
    {
        using var host = new TeamsTestHost(_fake);
        var url = host.ServiceUrl;

        // 1. Alice asks in her personal chat, with a mention as Teams writes it.
        using (var said = await host.SendSignedAsync(TeamsActivities.PersonalMessage(Alice, "<at>ChatOps MFA</at> mfa-reset", url), Key))
        {
            Assert.Equal(HttpStatusCode.OK, said.StatusCode);
        }

        var form = Assert.Single(Sends(Alice.PersonalConversationId));
        var formCard = TeamsCalls.CardOf(form)!;
        Assert.Contains("\"type\":\"Action.Execute\"", formCard.ToJsonString());
        Assert.Contains("\"verb\":\"submitRequest\"", formCard.ToJsonString());

        // 2. She submits the form with Action.Execute: an adaptiveCard/action invoke, inputs merged into action.data.
        var submit = TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "submitRequest",
            new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }, url, cardId: "1001");
        var submitted = await TeamsCalls.InvokeAsync(host, submit);
        Assert.Equal(200, submitted["statusCode"]!.GetValue<int>());

        var request = Assert.Single(await host.AllRequestsAsync());
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        Assert.Equal(Alice.AadObjectId, request.Requester.Id);
        Assert.Equal(Alice.Email, request.Requester.Email);

        // 3. The approval card is a new post in the support channel, without buttons, refreshed for the approvers.
        //    It follows the click's answer in the background.
        await Eventually.WaitUntilAsync(() => Sends(SupportChannelId).Any() && Sends(Alice.PersonalConversationId).Count() >= 2, "the approval and status cards");
        var approval = Assert.Single(Sends(SupportChannelId));
        var approvalCard = TeamsCalls.CardOf(approval)!;
        Assert.DoesNotContain("\"verb\":\"approve\"", approvalCard.ToJsonString());
        Assert.Equal("refreshCard", approvalCard["refresh"]!["action"]!["verb"]!.GetValue<string>());
        Assert.Equal([Bob.MemberId], approvalCard["refresh"]!["userIds"]!.AsArray().Select(n => n!.GetValue<string>()));
        var rootId = await IdOfSendAsync(approval);

        // 4. Bob's client refreshes the card and gets Approve and Deny; Carol's gets none.
        var bobView = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), "refreshCard",
            new JsonObject { ["verb"] = "refreshCard", ["requestId"] = request.Id }, url, rootId, trigger: "automatic"));
        var bobCard = bobView["value"]!.AsObject();
        AdaptiveCardSchema.Validate(bobCard);
        Assert.Contains("\"verb\":\"approve\"", bobCard.ToJsonString());
        Assert.Contains("\"verb\":\"deny\"", bobCard.ToJsonString());
        var carolView = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Carol, TeamsActivities.Channel(), "refreshCard",
            new JsonObject { ["verb"] = "refreshCard", ["requestId"] = request.Id }, url, rootId, trigger: "automatic"));
        AdaptiveCardSchema.Validate(carolView["value"]!.AsObject());
        Assert.DoesNotContain("\"verb\":\"approve\"", carolView["value"]!.ToJsonString());

        // 5. Bob approves: the invoke response carries the refreshed card for him.
        var approved = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), "approve",
            new JsonObject { ["verb"] = "approve", ["requestId"] = request.Id }, url, rootId));
        Assert.Equal("application/vnd.microsoft.card.adaptive", approved["type"]!.GetValue<string>());
        AdaptiveCardSchema.Validate(approved["value"]!.AsObject());
        Assert.Contains("Bob Helper", approved["value"]!.ToJsonString());

        var storedBefore = await host.Store.FindAsync(request.Id, CancellationToken.None);
        Assert.NotNull(storedBefore);

        // 5b. Alice gets her key card privately, types the code her app shows into her activation card (an
        //     Action.Execute whose data Teams merges with the input), and the recovery completes when Okta says ACTIVE.
        var enrolled = await TeamsActivationSteps.WaitForAsync(host, request.Id,
            r => r.State == RequestState.AwaitingActivation && r.KeyMessage is not null && r.ActivationMessage is not null, "the key and activation cards");
        var shownKey = Cards.CardText.SetupKey(TeamsActivationSteps.CardNow(host, enrolled.KeyMessage!))!;
        var activated = await TeamsActivationSteps.EnterCodeAsync(host, enrolled, TeamsActivationSteps.TotpCode(host, shownKey));
        Assert.Equal("application/vnd.microsoft.card.adaptive", activated["type"]!.GetValue<string>());
        Assert.Contains("is active", activated["value"]!.ToJsonString(), StringComparison.Ordinal);

        var done = await TeamsActivationSteps.WaitForStateAsync(host, request.Id, RequestState.Completed);
        Assert.Equal(RequestState.Completed, done.State);
        Assert.Equal("ACTIVE", done.Result!.FactorStatus);

        // 6. Every transition is a reply in the approval post's thread: posted to <channel>;messageid=<root>.
        var threadPath = $"/v3/conversations/{SupportChannelId};messageid={rootId}/activities";
        await Eventually.WaitUntilAsync(() => _fake.ConnectorCalls.Count(c => c.Path == threadPath) >= 4, "a Connector call");
        var thread = _fake.ConnectorCalls.Where(c => c.Path == threadPath).ToList();
        Assert.All(thread, c => Assert.Equal(rootId, c.Json["replyToId"]!.GetValue<string>()));
        Assert.Contains(thread, c => c.Json["text"]!.GetValue<string>().Contains("Approved by Bob Helper", StringComparison.Ordinal));
        Assert.Contains(thread, c => c.Json["text"]!.GetValue<string>().Contains($"factor {done.Result!.FactorId}", StringComparison.Ordinal));

        // 7. The approval card was updated in place (PUT) for everyone: Bob's approval shown, no buttons left.
        var updates = _fake.ConnectorCalls.Where(c => c.Method == "PUT"
            && c.Path == $"/v3/conversations/{SupportChannelId}/activities/{rootId}").ToList();
        Assert.NotEmpty(updates);
        var latest = TeamsCalls.CardOf(updates[^1])!;
        Assert.Equal(rootId, updates[^1].Json["id"]!.GetValue<string>());
        Assert.Contains("Bob Helper", latest.ToJsonString());
        Assert.DoesNotContain("\"verb\":\"approve\"", latest.ToJsonString());

        // 8. The private result went 1:1 to Alice, and the secret went nowhere else; her key card no longer holds it.
        await Eventually.WaitUntilAsync(() => Sends(Alice.PersonalConversationId).Any(IsResult), "a Connector call");
        var result = Sends(Alice.PersonalConversationId).Single(IsResult);
        var secret = Cards.CardText.SetupKey(TeamsCalls.CardOf(result))!;
        Assert.False(string.IsNullOrEmpty(secret));
        Assert.Equal(shownKey, secret);
        await TeamsActivationSteps.OutboxSettledAsync(host);
        Assert.DoesNotContain(secret, _fake.Current(enrolled.KeyMessage!.MessageId)!.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(_fake.ConnectorCalls, c => c.Path.Contains(SupportChannelId, StringComparison.Ordinal) && c.Body.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(host.LogLines, l => l.Contains(secret, StringComparison.Ordinal));

        // Every Connector call carried the bot's token, every card validates, and one token served them all.
        Assert.All(_fake.ConnectorCalls, c => Assert.Equal("Bearer " + FakeBotFramework.AccessToken, c.Authorization));
        foreach (var call in _fake.ConnectorCalls.Where(c => c.Method != "GET"))
        {
            Assert.Equal("message", call.Json["type"]!.GetValue<string>());
            if (TeamsCalls.CardOf(call) is { } card)
            {
                AdaptiveCardSchema.Validate(card);
            }
        }

        Assert.Equal(0, _fake.TokenRequests); // the token fetched at start, for the roster, served them all
        Assert.DoesNotContain(host.LogLines, l => l.Contains(FakeBotFramework.AppPassword, StringComparison.Ordinal)
            || l.Contains(FakeBotFramework.AccessToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Action_Submit_fallback_arrives_as_a_message_with_value_and_starts_the_request()
    {
        using var host = new TeamsTestHost(_fake);
        var submit = TeamsActivities.PersonalMessage(Alice, "", host.ServiceUrl);
        submit.Remove("text");
        submit["value"] = new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" };
        submit["replyToId"] = "1001";

        using var response = await host.SendSignedAsync(submit, Key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(await host.AllRequestsAsync());
        Assert.Equal(Alice.Email, request.Requester.Email);
        await Eventually.WaitUntilAsync(() => Sends(SupportChannelId).Any(), "the approval card");
        Assert.Single(Sends(SupportChannelId));
    }

    [Fact]
    public async Task The_requester_cannot_approve_keeps_the_current_card_and_is_told_why_in_their_1_1_chat()
    {
        using var host = new TeamsTestHost(_fake, new Dictionary<string, string?> { ["Approvals:Approvers:1"] = Alice.Email });
        var url = host.ServiceUrl;
        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "submitRequest",
            new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }, url));
        var request = Assert.Single(await host.AllRequestsAsync());
        await Eventually.WaitUntilAsync(() => Sends(SupportChannelId).Any(), "the approval card");

        var answer = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Channel(), "approve",
            new JsonObject { ["verb"] = "approve", ["requestId"] = request.Id }, url));

        // The invoke response holds the card as it stands (still awaiting approval); the refusal goes 1:1.
        Assert.Equal("application/vnd.microsoft.card.adaptive", answer["type"]!.GetValue<string>());
        AdaptiveCardSchema.Validate(answer["value"]!.AsObject());
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        await Eventually.WaitUntilAsync(() => Sends("a:1on1-" + Alice.MemberId).Any(), "the 1:1 notice");
        var told = Assert.Single(Sends("a:1on1-" + Alice.MemberId));
        Assert.Contains("cannot decide their own request", told.Json["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private IEnumerable<RecordedCall> Sends(string conversationId) =>
        _fake.ConnectorCalls.Where(c => c.Method == "POST" && c.Path == $"/v3/conversations/{conversationId}/activities");

    /// <summary>The private key card: the one card that shows a setup key.</summary>
    private static bool IsResult(RecordedCall call) => Cards.CardText.SetupKey(TeamsCalls.CardOf(call)) is not null;

    private async Task<string> IdOfSendAsync(RecordedCall call)
    {
        // The fake hands out increasing ids; the n-th send got 1000 + n. Find it from the call order.
        await Task.CompletedTask;
        var index = _fake.ConnectorCalls.Where(c => c.Method == "POST" && c.Path.EndsWith("/activities", StringComparison.Ordinal)).ToList().IndexOf(call);
        return (1001 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
