using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Cards;
using ChatOpsMfa.Tests.Flow;

namespace ChatOpsMfa.Tests.Local;

/// <summary>
/// The activation as the local Web Chat performs it over Direct Line: the activation card's Action.Submit carries the
/// typed code in <c>value.passCode</c>, and the bot's updates replace the key card and the activation card in place.
/// </summary>
public sealed class DirectLineActivationTests
{
    [Fact]
    public async Task A_code_typed_into_the_activation_card_activates_the_factor_and_the_key_card_is_replaced_in_place()
    {
        using var host = new FlowHost();
        var client = new DirectLineTestClient(host.CreateClient());
        var (alice, aliceToken) = await client.StartPersonalAsync("alice");
        await client.PostActivityAsync(alice, aliceToken, Message("alice", text: "/mfa-reset"));
        await client.PostActivityAsync(alice, aliceToken,
            Message("alice", new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }));
        var (support, bobToken) = await client.GenerateAsync("bob", "support");
        var (supportActivities, _) = await client.ReadUntilAsync(support, bobToken, a => Card(a) is not null, "the approval card");
        var requestId = Card(supportActivities.Single(a => Card(a) is not null))!.ToJsonString().Split("\"requestId\":\"")[1].Split('"')[0];
        await client.PostActivityAsync(support, bobToken, Message("bob", new JsonObject { ["verb"] = "approve", ["requestId"] = requestId }));
        await host.WaitForAsync(requestId, RequestState.AwaitingActivation);

        var (beforeActivation, _) = await client.ReadUntilAsync(alice, aliceToken,
            a => CardText.SetupKey(Card(a)) is not null, "the key card");
        var keyCard = beforeActivation.Single(a => CardText.SetupKey(Card(a)) is not null);
        var key = CardText.SetupKey(Card(keyCard))!;
        Assert.StartsWith("data:image/png;base64,", Images(keyCard).Single(), StringComparison.Ordinal);
        var (activationWritten, _) = await client.ReadUntilAsync(alice, aliceToken, a => PassCodeInput(a) is not null, "the activation card");
        var activationCard = activationWritten.Single(a => PassCodeInput(a) is not null);

        var right = host.TotpCodeFor(key);
        var wrong = right == "000000" ? "111111" : "000000";
        var (wrongStatus, _) = await client.PostActivityAsync(alice, aliceToken, ActivateMessage(requestId, wrong));
        var (afterWrong, _) = await client.ReadUntilAsync(alice, aliceToken, a => Said(a, "did not match"), "the wrong-code notice");
        var (rightStatus, _) = await client.PostActivityAsync(alice, aliceToken, ActivateMessage(requestId, host.TotpCodeFor(key)));
        var done = await host.WaitForAsync(requestId, RequestState.Completed);
        var (aliceNow, _) = await client.ReadUntilAsync(alice, aliceToken,
            a => a["id"]!.GetValue<string>() == keyCard["id"]!.GetValue<string>() && Card(a)!.ToJsonString().Contains("Setup key removed after activation", StringComparison.Ordinal),
            "the key card replaced");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (wrongStatus, rightStatus));
        Assert.Contains(afterWrong, a => Said(a, "did not match") && a["recipient"]?["id"]?.GetValue<string>() == "alice");
        Assert.Equal(RequestState.Completed, done.State);
        Assert.Equal("ACTIVE", host.Okta.FactorsOf("alice@example.com")!.Single(f => f.Id == done.Result!.FactorId).Status);
        // In place: one activity under each id, the key and the QR gone from the whole conversation.
        Assert.Single(aliceNow, a => a["id"]!.GetValue<string>() == keyCard["id"]!.GetValue<string>());
        var activationNow = Assert.Single(aliceNow, a => a["id"]!.GetValue<string>() == activationCard["id"]!.GetValue<string>());
        Assert.Null(PassCodeInput(activationNow));
        var everything = string.Join("\n", aliceNow.Select(a => a.ToJsonString()));
        Assert.DoesNotContain(key, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("data:image/png", everything, StringComparison.Ordinal);
        Assert.Contains(aliceNow, a => Said(a, "is active"));
        var (supportNow, _) = await client.ReadUntilAsync(support, bobToken, a => Said(a, "Activated:"), "the Activated reply");
        Assert.DoesNotContain(key, string.Join("\n", supportNow.Select(a => a.ToJsonString())), StringComparison.Ordinal);
        var audit = await host.Store.AuditTrailAsync(requestId, CancellationToken.None);
        Assert.DoesNotContain(audit, a => a.ToString()!.Contains(right, StringComparison.Ordinal) || a.ToString()!.Contains(wrong, StringComparison.Ordinal));
    }

    /// <summary>What Web Chat posts for the Activate button: the button's data merged with the inputs' values.</summary>
    private static JsonObject ActivateMessage(string requestId, string code) =>
        Message("alice", new JsonObject { ["verb"] = "activate", ["requestId"] = requestId, ["passCode"] = code });

    private static JsonObject Message(string user, JsonObject? value = null, string? text = null) => WebChatActivities.From(user, text, value);

    private static bool Said(JsonObject activity, string text) =>
        (activity["text"] ?? activity["summary"])?.GetValue<string>().Contains(text, StringComparison.Ordinal) == true;

    private static JsonNode? Card(JsonObject activity) => activity["attachments"]?.AsArray().FirstOrDefault()?["content"];

    private static IEnumerable<string> Images(JsonObject activity) =>
        CardText.OfType(Card(activity), "Image").Select(image => image["url"]!.GetValue<string>());

    private static JsonNode? PassCodeInput(JsonObject activity) =>
        CardText.OfType(Card(activity), "Input.Text").FirstOrDefault(input => input["id"]?.GetValue<string>() == "passCode");
}
