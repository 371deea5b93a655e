using ChatOpsMfa.Channels;
using ChatOpsMfa.Requests;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Requests;

/// <summary>The request's own guards: who may decide is settled by Okta user id, and an unknown one decides nothing.</summary>
public class SeparationOfDutiesGuardTests
{
    private static ResetRequest OnBehalf(string? requesterOktaUserId, int requiredApprovals = 1) => new(
        "req-2",
        Bob,
        new ConversationRef("local", "bob-1to1"),
        new TargetUser("00u1alice", "alice@example.com", "Alice Example"),
        new FactorRequest("push", "OKTA", "Okta Verify (push)"),
        Now,
        Now.AddMinutes(30),
        requiredApprovals,
        targetChatUser: Alice,
        requesterOktaUserId: requesterOktaUserId);

    [Fact]
    public void An_authorised_approver_whose_Okta_user_is_unknown_cannot_approve_deny_or_retry()
    {
        var unknown = new Actor(Erin, true, OktaUserId: null, IdentityProblem: "your chat account has no email address");
        var request = New();

        var approve = request.Approve(unknown, Now);
        var deny = request.Deny(unknown, Now);

        Assert.False(approve.Succeeded);
        Assert.False(deny.Succeeded);
        Assert.Contains("could not establish who you are in Okta (your chat account has no email address)", approve.Refusal);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        Assert.Empty(request.DrainTransitions());

        request.Approve(Approver(Bob), Now);
        request.StartReset(Now);
        request.ResetFailed("Okta could not be reached", Now);
        Assert.False(request.Retry(unknown, Now).Succeeded);
        Assert.False(request.Permits(RequestTrigger.Retry, unknown));
        Assert.Equal(RequestState.Failed, request.State);
    }

    [Fact]
    public void The_requesters_second_chat_account_is_the_requester()
    {
        var request = OnBehalf(requesterOktaUserId: OktaIdOf(Bob));
        var bobElsewhere = new Actor(new ChatUser("bob-other-chat", "Bob (2)"), true, OktaIdOf(Bob));

        var outcome = request.Approve(bobElsewhere, Now);

        Assert.False(outcome.Succeeded);
        Assert.Contains("requester", outcome.Refusal);
        Assert.True(request.Approve(Approver(Erin), Now).Succeeded);
    }

    [Fact]
    public void The_target_is_recognised_by_Okta_user_id_whatever_the_chat_account_or_email_says()
    {
        var request = OnBehalf(requesterOktaUserId: OktaIdOf(Bob));
        var aliceElsewhere = new Actor(new ChatUser("someone-else", "Not Alice", "other@example.com"), true, "00u1alice");

        Assert.Contains("being reset", request.Approve(aliceElsewhere, Now).Refusal);
        Assert.Contains("being reset", request.Deny(aliceElsewhere, Now).Refusal);
    }

    [Fact]
    public void Two_chat_accounts_of_one_Okta_user_approve_once()
    {
        var request = New(requiredApprovals: 2);
        Assert.True(request.Approve(Approver(Bob), Now).Succeeded);

        var outcome = request.Approve(new Actor(new ChatUser("bob-slack", "Bob (Slack)"), true, OktaIdOf(Bob)), Now);

        Assert.False(outcome.Succeeded);
        Assert.Contains("counts once", outcome.Refusal);
        Assert.Equal(1, request.ApprovalsRemaining);
    }

    [Fact]
    public void An_on_behalf_request_whose_requesters_Okta_user_is_unknown_cannot_be_decided()
    {
        var request = OnBehalf(requesterOktaUserId: null);

        var outcome = request.Approve(Approver(Erin), Now);

        Assert.False(outcome.Succeeded);
        Assert.Contains("requester's Okta user is not known", outcome.Refusal);
    }

    [Fact]
    public void Decisions_remember_the_Okta_user_through_a_json_round_trip()
    {
        var request = New(requiredApprovals: 2);
        request.Approve(Approver(Bob), Now);

        var copy = System.Text.Json.JsonSerializer.Deserialize<ResetRequest>(System.Text.Json.JsonSerializer.Serialize(request))!;

        Assert.Equal(OktaIdOf(Bob), Assert.Single(copy.Decisions).OktaUserId);
        Assert.Equal("00u1alice", copy.RequesterOktaUserId);
        Assert.False(copy.Approve(new Actor(new ChatUser("bob-teams", "Bob (Teams)"), true, OktaIdOf(Bob)), Now).Succeeded);
    }
}
