using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Local;
using ChatOpsMfa.Tests.Okta;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>The whole recovery through the Direct Line API that the local Web Chat uses, as Alice and Bob.</summary>
public class DirectLineFlowTests : FlowTestsOnEitherStore
{
    [Fact]
    public async Task Alice_and_Bob_complete_a_reset_through_Direct_Line()
    {
        using var host = NewHost();
        var client = new DirectLineTestClient(host.CreateClient());
        host.Okta.ClearRequests();

        var (aliceConversation, aliceToken) = await client.StartPersonalAsync("alice");
        await client.PostActivityAsync(aliceConversation, aliceToken, Message("alice", text: "/mfa-reset"));
        var (afterCommand, _) = await client.ReadAsync(aliceConversation, aliceToken);
        Assert.Contains(afterCommand, a => Card(a)?["body"]?.ToJsonString().Contains("New sign-in method", StringComparison.Ordinal) == true);

        await client.PostActivityAsync(aliceConversation, aliceToken,
            Message("alice", value: new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }));
        Func<JsonObject, bool> waiting = a => a["summary"]?.GetValue<string>().Contains("Waiting for approval", StringComparison.Ordinal) == true;
        var (afterSubmit, _) = await client.ReadUntilAsync(aliceConversation, aliceToken, waiting, "Alice's status card");
        Assert.Contains(afterSubmit, a => waiting(a));

        var (support, bobToken) = await client.GenerateAsync("bob", "support");
        var (supportActivities, _) = await client.ReadUntilAsync(support, bobToken, a => Card(a) is not null, "the approval card");
        var approval = Assert.Single(supportActivities, a => Card(a) is not null);
        var requestId = Card(approval)!.ToJsonString().Split("\"requestId\":\"")[1].Split('"')[0];

        var (status, _) = await client.PostActivityAsync(support, bobToken,
            Message("bob", value: new JsonObject { ["verb"] = "approve", ["requestId"] = requestId }));
        Assert.Equal(HttpStatusCode.OK, status);
        var done = await host.WaitForAsync(requestId, RequestState.AwaitingActivation);

        List<JsonObject> aliceSees = [];
        await Eventually.WaitUntilAsync(() =>
        {
            aliceSees = client.ReadAsync(aliceConversation, aliceToken).GetAwaiter().GetResult().Activities;
            return aliceSees.Any(a => Card(a)?.ToJsonString().Contains(done.Result!.FactorId, StringComparison.Ordinal) == true
                && Card(a)!.ToJsonString().Contains("Setup key", StringComparison.Ordinal))
                && aliceSees.Any(a => Card(a)?.ToJsonString().Contains("\"id\":\"passCode\"", StringComparison.Ordinal) == true);
        }, "Alice's private result");

        // Support: the card was updated in place (same id), and each transition is a reply in its thread.
        var (supportNow, _) = await client.ReadAsync(support, bobToken);
        var updated = Assert.Single(supportNow, a => a["id"]!.GetValue<string>() == approval["id"]!.GetValue<string>());
        Assert.DoesNotContain("\"verb\":\"approve\"", Card(updated)!.ToJsonString());
        var replies = supportNow.Where(a => a["replyToId"] is not null).ToList();
        Assert.True(replies.Count >= 4, $"expected a thread reply per transition, got {replies.Count}");
        Assert.All(replies, r => Assert.Equal(approval["id"]!.GetValue<string>(), r["replyToId"]!.GetValue<string>()));

        // The TOTP secret reached Alice's conversation and nowhere in the support channel.
        var sharedSecret = aliceSees.Select(a => Cards.CardText.SetupKey(Card(a))).LastOrDefault(k => k is not null);
        Assert.False(string.IsNullOrEmpty(sharedSecret));
        Assert.DoesNotContain(sharedSecret, string.Join("\n", supportNow.Select(a => a.ToJsonString())));

        // Alice types the code from her app into the activation card, through Direct Line: the factor is ACTIVE.
        Assert.Contains(aliceSees, a => Card(a)?.ToJsonString().Contains("\"id\":\"passCode\"", StringComparison.Ordinal) == true);
        await client.PostActivityAsync(aliceConversation, aliceToken,
            Message("alice", value: new JsonObject { ["verb"] = "activate", ["requestId"] = requestId, ["passCode"] = host.TotpCodeFor(sharedSecret!) }));
        await host.WaitForAsync(requestId, RequestState.Completed);
        await host.OutboxSettledAsync();
        var (aliceNow, _) = await client.ReadAsync(aliceConversation, aliceToken);
        var stillHolding = aliceNow.Where(a => a.ToJsonString().Contains(sharedSecret!, StringComparison.Ordinal)).Select(a => a.ToJsonString()).ToList();
        Assert.True(stillHolding.Count == 0, string.Join("\n", stillHolding));
        Assert.Contains(aliceNow, a => Card(a)?.ToJsonString().Contains("Setup key removed after activation", StringComparison.Ordinal) == true);
        Assert.Contains(host.Okta.FactorsOf(done.Target.OktaUserId)!, f => f.Id == done.Result!.FactorId && f.Status == "ACTIVE");

        // Okta got exactly a reset, an enrolment and an activation, each valid against Okta's official OpenAPI description.
        var validator = await OktaRequestValidator.ForOfficialDescriptionAsync();
        var posts = host.Okta.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(["resetFactors", "enrollFactor", "activateFactor"], posts.Select(p => p.OperationId));
        foreach (var request in host.Okta.Requests)
        {
            Assert.Empty(await validator.ValidateAsync(request));
        }

        var audit = await host.Store.AuditTrailAsync(requestId, CancellationToken.None);
        Assert.Equal(["Requested", "Approve", "StartReset", "ResetSucceeded", "SessionsRevoked", "EnrollSucceeded", "Activated"], audit.Select(a => a.Action));
        Assert.Equal(("bob", "AwaitingApproval", "Approved"), (audit[1].ActorId, audit[1].FromState, audit[1].ToState));
    }

    [Fact]
    public async Task Alice_approving_her_own_request_in_support_is_told_privately_and_nothing_changes()
    {
        using var host = NewHost(new Dictionary<string, string?> { ["Approvals:Approvers:2"] = "alice" });
        var client = new DirectLineTestClient(host.CreateClient());
        var (aliceConversation, aliceToken) = await client.StartPersonalAsync("alice");
        await client.PostActivityAsync(aliceConversation, aliceToken,
            Message("alice", value: new JsonObject { ["verb"] = "submitRequest", ["factor"] = "push|OKTA" }));
        var request = await host.OnlyRequestAsync();

        var (support, aliceSupportToken) = await client.GenerateAsync("alice", "support");
        await client.PostActivityAsync(support, aliceSupportToken,
            Message("alice", value: new JsonObject { ["verb"] = "approve", ["requestId"] = request.Id }));

        var (aliceView, _) = await client.ReadAsync(support, aliceSupportToken);
        Assert.Contains(aliceView, a => a["text"]?.GetValue<string>().Contains("requester cannot decide", StringComparison.Ordinal) == true);
        var (_, bobToken) = await client.GenerateAsync("bob", "support");
        var (bobView, _) = await client.ReadAsync(support, bobToken);
        Assert.DoesNotContain(bobView, a => a["text"]?.GetValue<string>().Contains("requester cannot decide", StringComparison.Ordinal) == true);
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
    }

    private static JsonObject Message(string user, string? text = null, JsonObject? value = null) => WebChatActivities.From(user, text, value);

    private static JsonNode? Card(JsonObject activity) => activity["attachments"]?.AsArray().FirstOrDefault()?["content"];
}
