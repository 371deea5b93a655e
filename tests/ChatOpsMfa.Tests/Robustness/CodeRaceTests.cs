using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Cards;
using ChatOpsMfa.Tests.Local;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsMfa.Tests.Robustness;

/// <summary>
/// Codes typed at the same instant, through the real Direct Line endpoint, against the Okta sandbox: chat must not
/// become a way to guess codes (Okta sees at most five wrong ones), and the request ends in one state that matches
/// what Okta did, whatever order the answers come back in.
/// </summary>
public sealed class CodeRaceTests
{
    private const string ActiveNotice = "is active. You can sign in with it now.";

    [Fact]
    public async Task Ten_simultaneous_codes_let_Okta_see_at_most_five_wrong_ones_and_end_the_request_in_one_state()
    {
        await using var host = await RobustnessHost.StartAsync();
        var alice = await AwaitingActivationAsync(host);
        var right = Totp(host, alice.SharedSecret);
        var wrong = WrongCodes(host, alice.SharedSecret, 8);
        string[] codes = [wrong[0], wrong[1], wrong[2], right, wrong[3], wrong[4], wrong[5], right, wrong[6], wrong[7]];

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var typing = codes.Select(async code =>
        {
            await gate.Task;
            return await alice.EnterAsync(code);
        }).ToList();
        gate.SetResult();
        Assert.All(await Task.WhenAll(typing), status => Assert.Equal(HttpStatusCode.OK, status));

        var judged = CodesAtOkta(host);
        Assert.InRange(judged.Count, 1, ResetRequest.MaxWrongCodes);
        var wrongJudged = judged.Count(c => c != right);
        Assert.InRange(wrongJudged, 0, ResetRequest.MaxWrongCodes);

        // One ending, agreed by the request, Okta and what Alice was told.
        var request = await SettledAsync(host, alice.RequestId);
        var told = await alice.NoticesAsync();
        var factors = host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!;
        if (request.State == RequestState.Completed)
        {
            var factor = Assert.Single(factors);
            Assert.Equal(("ACTIVE", request.Result!.FactorId), (factor.Status, factor.Id));
            Assert.Single(told, t => t.Contains(ActiveNotice, StringComparison.Ordinal));
            Assert.Single(await host.Store.AuditTrailAsync(alice.RequestId, CancellationToken.None), a => a.Action == "Activated");
        }
        else
        {
            Assert.DoesNotContain(factors, f => f.Status == "ACTIVE");
            Assert.DoesNotContain(told, t => t.Contains(ActiveNotice, StringComparison.Ordinal));
            if (request.State is RequestState.RemovingFactor or RequestState.ActivationFailed)
            {
                Assert.Equal(ResetRequest.MaxWrongCodes, wrongJudged); // stopped only by five wrong codes, none of them right
            }
        }
    }

    [Fact]
    public async Task A_wrong_code_typed_while_the_fifth_wrong_code_is_at_Okta_cannot_become_a_sixth_guess()
    {
        await using var host = await RobustnessHost.StartAsync();
        var alice = await AwaitingActivationAsync(host);
        var wrong = WrongCodes(host, alice.SharedSecret, 6);
        for (var i = 0; i < 4; i++)
        {
            await alice.EnterAsync(wrong[i]);
        }

        Assert.Equal(4, CodesAtOkta(host).Count);
        host.Okta.DelayNext(TimeSpan.FromSeconds(3), "activateFactor");
        var fifth = alice.EnterAsync(wrong[4]);
        await Eventually.WaitUntilAsync(() => CodesAtOkta(host).Count == 5, "the fifth code to reach Okta");

        var noticesBefore = (await alice.NoticesAsync()).Count;
        await alice.EnterAsync(wrong[5]);
        var sixthAnswer = (await alice.NoticesAsync())[noticesBefore..];
        var refusal = Assert.Single(sixthAnswer);
        Assert.DoesNotContain("did not match", refusal, StringComparison.Ordinal); // refused before Okta, not judged by it
        Assert.Contains("help desk", refusal, StringComparison.Ordinal);
        Assert.Equal(5, CodesAtOkta(host).Count);

        await fifth;
        var request = await SettledAsync(host, alice.RequestId);
        Assert.Equal(RequestState.ActivationFailed, request.State);
        Assert.Equal(5, CodesAtOkta(host).Count);
        Assert.Equal(5, (await host.Store.AuditTrailAsync(alice.RequestId, CancellationToken.None)).Count(a => a.Action == "CodeRejected"));
    }

    [Fact]
    public async Task A_right_code_still_at_Okta_when_a_later_code_is_judged_wrong_completes_the_request()
    {
        await using var host = await RobustnessHost.StartAsync();
        var alice = await AwaitingActivationAsync(host);
        var wrong = WrongCodes(host, alice.SharedSecret, 4);
        for (var i = 0; i < 3; i++)
        {
            await alice.EnterAsync(wrong[i]);
        }

        host.Okta.DelayNext(TimeSpan.FromSeconds(3), "activateFactor");
        var right = alice.EnterAsync(Totp(host, alice.SharedSecret));
        await Eventually.WaitUntilAsync(() => CodesAtOkta(host).Count == 4, "the right code to reach Okta");
        await alice.EnterAsync(wrong[3]); // the fifth code counted, but only the fourth wrong one
        await right;

        var request = await SettledAsync(host, alice.RequestId);
        Assert.Equal(RequestState.Completed, request.State);
        var factor = Assert.Single(host.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal(("ACTIVE", request.Result!.FactorId), (factor.Status, factor.Id));
        Assert.DoesNotContain(host.Okta.Requests, r => r.Method == "DELETE");
        Assert.Single(await alice.NoticesAsync(), t => t.Contains(ActiveNotice, StringComparison.Ordinal));
    }

    /// <summary>Alice asked for a TOTP factor, Bob approved, and Alice holds the setup key from her key card.</summary>
    private static async Task<Owner> AwaitingActivationAsync(RobustnessHost host)
    {
        var client = new DirectLineTestClient(host.CreateClient());
        var (conversation, token) = await client.StartPersonalAsync("alice");
        await client.PostActivityAsync(conversation, token, Message("alice",
            new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }));
        var requestId = (await host.Store.ListInStatesAsync([RequestState.AwaitingApproval], CancellationToken.None)).Single().Id;
        var (_, bobToken) = await client.GenerateAsync("bob", "support");
        await client.PostActivityAsync("support", bobToken, Message("bob", new JsonObject { ["verb"] = "approve", ["requestId"] = requestId }));
        var (activities, _) = await client.ReadUntilAsync(conversation, token, a => CardText.SetupKey(a) is not null, "Alice's key card");
        var sharedSecret = activities.Select(a => CardText.SetupKey(a)).First(k => k is not null)!;
        await Eventually.WaitUntilAsync(
            () => host.Store.FindAsync(requestId, CancellationToken.None).GetAwaiter().GetResult()?.State == RequestState.AwaitingActivation,
            "the activation to start");
        host.Okta.ClearRequests();
        return new Owner(client, conversation, token, requestId, sharedSecret);
    }

    /// <summary>The codes Okta was asked to activate with, in arrival order.</summary>
    private static List<string> CodesAtOkta(RobustnessHost host) =>
        host.Okta.Requests.Where(r => r.OperationId == "activateFactor" && r.Body.Length > 0)
            .Select(r => JsonNode.Parse(r.Body)!["passCode"]!.GetValue<string>()).ToList();

    /// <summary>The request once nothing is left in flight: completed, stopped and cleaned up, or still open.</summary>
    private static async Task<ResetRequest> SettledAsync(RobustnessHost host, string requestId)
    {
        ResetRequest? request = null;
        await Eventually.WaitUntilAsync(() =>
        {
            request = host.Store.FindAsync(requestId, CancellationToken.None).GetAwaiter().GetResult();
            return request?.State is RequestState.Completed or RequestState.AwaitingActivation or RequestState.ActivationFailed;
        }, "the request to settle");
        return request!;
    }

    private static string Totp(RobustnessHost host, string sharedSecret) =>
        SandboxTotp.Code(sharedSecret, host.Services.GetRequiredService<TimeProvider>().GetUtcNow());

    /// <summary>Six-digit codes that match none of the time steps the sandbox accepts now.</summary>
    private static List<string> WrongCodes(RobustnessHost host, string sharedSecret, int count)
    {
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var codes = new List<string>();
        for (var n = int.Parse(Totp(host, sharedSecret), CultureInfo.InvariantCulture) + 1; codes.Count < count; n++)
        {
            var code = (n % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            if (!SandboxTotp.Matches(sharedSecret, code, now) && !SandboxTotp.Matches(sharedSecret, code, now.AddSeconds(30)))
            {
                codes.Add(code);
            }
        }

        return codes;
    }

    private static JsonObject Message(string user, JsonObject value) => new()
    {
        ["type"] = "message",
        ["from"] = new JsonObject { ["id"] = user, ["name"] = user },
        ["channelData"] = new JsonObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") },
        ["value"] = value,
    };

    /// <summary>Alice in her private chat: types codes, reads what the bot told her.</summary>
    private sealed record Owner(DirectLineTestClient Client, string Conversation, string Token, string RequestId, string SharedSecret)
    {
        public async Task<HttpStatusCode> EnterAsync(string code) =>
            (await Client.PostActivityAsync(Conversation, Token, Message("alice",
                new JsonObject { ["verb"] = "activate", ["requestId"] = RequestId, ["passCode"] = code }))).Status;

        /// <summary>The plain-text answers in her chat, in order.</summary>
        public async Task<List<string>> NoticesAsync() =>
            (await Client.ReadAsync(Conversation, Token)).Activities
                .Where(a => a["from"]?["role"]?.ToString() == "bot" && a["text"] is not null)
                .Select(a => a["text"]!.GetValue<string>()).ToList();
    }
}
