using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Flow;
using static ChatOpsMfa.Tests.Flow.FlowHost;

namespace ChatOpsMfa.Tests.Audit;

/// <summary>The export of a real recovery, driven through the bot against the Okta sandbox.</summary>
public class AuditExportFlowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_completed_reset_exports_its_whole_story_without_the_activation_secret()
    {
        using var host = new FlowHost(new Dictionary<string, string?> { ["Audit:ApiKeys:0"] = AuditHost.Key });
        _ = host.Services;
        await host.SayAsync(Alice, "/mfa-reset");
        await host.SubmitAsync(Alice, new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" });
        var request = await host.OnlyRequestAsync();
        await host.ClickAsync(Mallory, "approve", request.Id);
        await host.ClickAsync(Bob, "approve", request.Id);
        await host.WaitForAsync(request.Id, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(() => host.Chat.In("dm-alice").Any(m => m.Message.Card?.Template == "result"), "the private result");
        var sharedSecret = host.Chat.In("dm-alice").First(m => m.Message.Card?.Template == "result").Message.Card!.Data["sharedSecret"]!.GetValue<string>();
        host.Okta.ClearRequests();
        var code = host.TotpCodeFor(sharedSecret);
        var done = await host.ActivateAsync(Alice, request.Id);
        Assert.Contains(code, host.Okta.Requests.Single(r => r.OperationId == "activateFactor").Body, StringComparison.Ordinal);
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AuditHost.Key);

        var json = await client.GetStringAsync("/api/audit?user=alice", Ct);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/csv");
        var csv = await client.GetStringAsync("/api/audit?user=alice", Ct);

        var items = JsonNode.Parse(json)!["items"]!.AsArray();
        var expected = (await host.Store.AuditTrailAsync(request.Id, Ct)).Select(a => a.Action).ToArray();
        Assert.Equal(expected, items.Select(i => i!["action"]!.GetValue<string>()));
        Assert.Contains("Approve", expected);
        Assert.Contains("EnrollSucceeded", expected);
        Assert.Equal("Activated", expected[^1]);
        Assert.All(items, i => Assert.Equal(done.Number, i!["requestNumber"]!.GetValue<long>()));
        Assert.Contains(items, i => i!["actorId"]!.GetValue<string>() == "bob" && i["toState"]!.GetValue<string>() == "Approved");
        Assert.Equal(expected.Length + 1, CsvTestReader.Read(csv).Count);
        Assert.DoesNotContain(sharedSecret, json, StringComparison.Ordinal);
        Assert.DoesNotContain(sharedSecret, csv, StringComparison.Ordinal);
        Assert.DoesNotContain(code, json, StringComparison.Ordinal);
        Assert.DoesNotContain(code, csv, StringComparison.Ordinal);
    }
}
