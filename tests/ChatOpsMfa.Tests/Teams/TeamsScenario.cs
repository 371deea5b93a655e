using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>Steps the attack tests share: a genuine pending request, and an Approve click sent with any token.</summary>
internal static class TeamsScenario
{
    /// <summary>Alice asks, through genuine Teams traffic, and her request waits for approval. Recording starts afresh after.</summary>
    public static async Task<ResetRequest> PendingRequestAsync(TeamsTestHost host)
    {
        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "submitRequest",
            new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }, host.ServiceUrl));
        var request = Assert.Single(await host.AllRequestsAsync());
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        await Eventually.WaitUntilAsync(() => host.Fake.ConnectorCalls.Any(c => c.Path.Contains(SupportChannelId, StringComparison.Ordinal))
            && host.Fake.ConnectorCalls.Any(c => c.Path == $"/v3/conversations/{Alice.PersonalConversationId}/activities"), "the approval and status cards");
        host.Fake.ResetRecording();
        Okta(host).ClearRequests();
        return request;
    }

    /// <summary>An Approve click "by" <paramref name="by"/> in the support channel, as the given serviceUrl claims.</summary>
    public static JsonObject Approve(TeamsTestUser by, ResetRequest request, string serviceUrl, string? tenantId = null)
    {
        var activity = TeamsActivities.Execute(by, TeamsActivities.Channel(), "approve",
            new JsonObject { ["verb"] = "approve", ["requestId"] = request.Id }, serviceUrl);
        if (tenantId is not null)
        {
            activity["conversation"]!["tenantId"] = tenantId;
            activity["channelData"]!["tenant"]!["id"] = tenantId;
        }

        return activity;
    }

    public static OktaSandbox Okta(TeamsTestHost host) => host.Services.GetRequiredService<OktaSandbox>();

    /// <summary>Nothing changed: the request still waits, Okta saw nothing, the Connector got nothing.</summary>
    public static async Task AssertNothingHappenedAsync(TeamsTestHost host, ResetRequest request)
    {
        await Task.Delay(300); // let anything the click might have started in the background show itself
        Assert.Equal(RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        Assert.Empty(Okta(host).Requests);
        Assert.Empty(host.Fake.ConnectorCalls);
    }
}
