using System.Net;
using System.Text.Json.Nodes;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Tests.Cards;
using ChatOpsMfa.Tests.Teams.Fakes;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// Who someone is comes from the Connector only (the member map, filled from the support team's roster and from
/// lookups), never from the activity's own <c>from</c> fields. Approvers always get their buttons.
/// </summary>
public sealed class TeamsIdentityTests : TeamsFakeTests
{
    private static readonly TeamsTestUser Mallory = new("29:1mallory", "Mallory", "ma110000-0000-4000-8000-000000000009", "mallory@example.com");

    protected override IEnumerable<TeamsTestUser> Members => [Alice, Bob, Carol];

    [Fact]
    public async Task A_member_the_Connector_cannot_describe_decides_nothing_whatever_aadObjectId_the_activity_claims()
    {
        using var host = new TeamsTestHost(Fake);
        var request = await TeamsScenario.PendingRequestAsync(host);
        // Mallory is not in the roster and the Connector does not know her; her activity claims Bob's Entra id.
        var click = TeamsScenario.Approve(Mallory with { AadObjectId = Bob.AadObjectId, Name = Bob.Name }, request, host.ServiceUrl);

        var answer = await TeamsCalls.InvokeAsync(host, click);

        Assert.Equal(TeamsActivityDispatcher.UnknownPersonText, answer["value"]!.GetValue<string>());
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Equal(ChatOpsMfa.Requests.RequestState.AwaitingApproval, (await host.Store.FindAsync(request.Id, CancellationToken.None))!.State);
        Assert.Empty(TeamsScenario.Okta(host).Requests);
        Assert.All(Fake.ConnectorCalls, c => Assert.Equal("GET", c.Method)); // the lookup that failed, and nothing else
        Assert.DoesNotContain((await host.Store.AuditTrailAsync(request.Id, CancellationToken.None)), a => a.ActorId == Bob.AadObjectId);
    }

    [Fact]
    public async Task The_support_team_roster_is_paged_into_the_member_map_at_start()
    {
        for (var i = 0; i < 1100; i++)
        {
            Fake.AddMember($"29:1member{i:D4}", $"Member {i}", Guid.NewGuid().ToString(), $"member{i}@example.com");
        }

        using var host = new TeamsTestHost(Fake);
        _ = host.Services;
        await host.Services.GetRequiredService<TeamsRoster>().FirstSync;

        var pages = Fake.ConnectorCalls.Where(c => c.Path == $"/v3/conversations/{SupportChannelId}/pagedmembers").ToList();
        Assert.Equal(3, pages.Count); // 1103 members, 500 a page
        Assert.All(pages, p => Assert.Contains("pageSize=500", p.Query, StringComparison.Ordinal));
        Assert.DoesNotContain("continuationToken", pages[0].Query, StringComparison.Ordinal);
        Assert.Contains("continuationToken=", pages[2].Query, StringComparison.Ordinal);
        var directory = host.Services.GetRequiredService<TeamsDirectory>();
        Assert.Equal("29:1member1099", (await directory.MemberByUserAsync("member1099@example.com", CancellationToken.None))?.Id);
        Assert.Equal(Bob.MemberId, (await directory.MemberByUserAsync(Bob.AadObjectId, CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task A_membership_change_in_the_support_team_reads_the_roster_again()
    {
        using var host = new TeamsTestHost(Fake);
        await host.StartAsync();
        var dave = new TeamsTestUser("29:1dave", "Dave New", "da5e0000-0000-4000-8000-000000000004", "dave@example.com");
        dave.AddTo(Fake);
        var update = TeamsActivities.ChannelMessage(Alice, "", host.ServiceUrl);
        update["type"] = "conversationUpdate";
        update.Remove("text");
        update["membersAdded"] = new JsonArray(new JsonObject { ["id"] = dave.MemberId });
        update["channelData"]!["eventType"] = "teamMemberAdded";

        using var response = await host.SendSignedAsync(update, Fake.BotFrameworkKeys[0]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var directory = host.Services.GetRequiredService<TeamsDirectory>();
        await Eventually.WaitUntilAsync(() => directory.MemberByUserAsync(dave.Email, CancellationToken.None).Result is not null, "Dave in the member map");
        Assert.Contains(Fake.ConnectorCalls, c => c.Path.EndsWith("/pagedmembers", StringComparison.Ordinal));
    }

    /// <summary>
    /// Teams refreshes automatically for at most 60 users. An approver beyond them (here the 61st) sees the posted
    /// card with a "Show approval actions" button, and clicking it brings the Approve and Deny buttons.
    /// </summary>
    [Fact]
    public async Task An_approver_beyond_the_60_refreshed_users_pulls_the_buttons_with_Show_approval_actions()
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < 60; i++)
        {
            var approver = new TeamsTestUser($"29:1approver{i:D2}", $"Approver {i}", Guid.NewGuid().ToString(), $"approver{i}@example.com");
            approver.AddTo(Fake);
            settings[$"Approvals:Approvers:{i}"] = approver.Email;
        }

        settings["Approvals:Approvers:60"] = Bob.AadObjectId;
        using var host = new TeamsTestHost(Fake, settings);
        await host.StartAsync();
        await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Alice, TeamsActivities.Personal(Alice), "submitRequest",
            new JsonObject { ["verb"] = "submitRequest", ["factor"] = "token:software:totp|GOOGLE" }, host.ServiceUrl));
        var request = Assert.Single(await host.AllRequestsAsync());

        await Eventually.WaitUntilAsync(() => Fake.ConnectorCalls.Any(c => c.Path == $"/v3/conversations/{SupportChannelId}/activities"), "the approval card");
        var posted = TeamsCalls.CardOf(Fake.ConnectorCalls.First(c => c.Path == $"/v3/conversations/{SupportChannelId}/activities"))!;
        AdaptiveCardSchema.Validate(posted);
        var userIds = posted["refresh"]!["userIds"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(60, userIds.Count);
        Assert.All(userIds, id => Assert.StartsWith("29:", id, StringComparison.Ordinal));
        Assert.DoesNotContain(Bob.MemberId, userIds);
        var show = FindAction(posted, TeamsCardView.RefreshVerb)!;
        Assert.Equal("Action.Execute", show["type"]!.GetValue<string>());
        Assert.Equal(TeamsCardView.ShowActionsTitle, show["title"]!.GetValue<string>());
        Assert.Null(FindAction(posted, "approve"));

        var pull = show["data"]!.DeepClone().AsObject();
        var bobView = (await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Bob, TeamsActivities.Channel(), TeamsCardView.RefreshVerb, pull.DeepClone().AsObject(), host.ServiceUrl)))["value"]!.AsObject();
        AdaptiveCardSchema.Validate(bobView);
        Assert.NotNull(FindAction(bobView, "approve"));
        Assert.NotNull(FindAction(bobView, "deny"));

        var carolView = (await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Carol, TeamsActivities.Channel(), TeamsCardView.RefreshVerb, pull.DeepClone().AsObject(), host.ServiceUrl)))["value"]!.AsObject();
        AdaptiveCardSchema.Validate(carolView);
        Assert.Null(FindAction(carolView, "approve"));
        Assert.Equal(request.Id, pull["requestId"]!.GetValue<string>());
    }

    private static JsonObject? FindAction(JsonNode? node, string verb) => node switch
    {
        JsonObject o when o["type"]?.GetValue<string>() is "Action.Execute" or "Action.Submit"
            && (o["verb"]?.GetValue<string>() == verb || o["data"]?["verb"]?.GetValue<string>() == verb) => o,
        JsonObject o => o.Where(p => p.Key is not ("refresh" or "fallback")).Select(p => FindAction(p.Value, verb)).FirstOrDefault(a => a is not null),
        JsonArray a => a.Select(n => FindAction(n, verb)).FirstOrDefault(x => x is not null),
        _ => null,
    };
}
