using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Tests.Teams.Fakes;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>What the Teams flow tests read from the fake Connector's log, and how they send an invoke.</summary>
internal static class TeamsCalls
{
    /// <summary>The Adaptive Card attached to a recorded Connector call, if any.</summary>
    public static JsonObject? CardOf(RecordedCall call) =>
        call.Json["attachments"] is JsonArray { Count: > 0 } attachments ? attachments[0]!["content"]!.AsObject() : null;

    /// <summary>Sends a signed invoke and returns the invoke response body.</summary>
    public static async Task<JsonObject> InvokeAsync(TeamsTestHost host, JsonObject invoke)
    {
        using var response = await host.SendSignedAsync(invoke, host.Fake.BotFrameworkKeys[0]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
    }

}
