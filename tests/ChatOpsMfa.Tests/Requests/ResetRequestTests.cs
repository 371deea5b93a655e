using ChatOpsMfa.Requests;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Requests;

public class ResetRequestTests
{
    [Fact]
    public void Approve_by_an_approver_moves_to_approved_and_records_who()
    {
        var request = New();

        var outcome = request.Approve(Approver(Bob), Now.AddMinutes(1));

        Assert.True(outcome.Succeeded);
        Assert.Equal(RequestState.Approved, request.State);
        var decision = Assert.Single(request.Decisions);
        Assert.Equal(("bob", RequestTrigger.Approve, Now.AddMinutes(1)), (decision.By.Id, decision.Action, decision.At));
        var transition = Assert.Single(request.DrainTransitions());
        Assert.Equal((RequestState.AwaitingApproval, RequestState.Approved, "bob"), (transition.From, transition.To, transition.By.User.Id));
    }

    [Fact]
    public void Approve_by_requester_is_refused_even_when_on_the_approver_list()
    {
        var request = New();

        var outcome = request.Approve(Approver(Alice), Now);

        Assert.False(outcome.Succeeded);
        Assert.Contains("requester", outcome.Refusal);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        Assert.Empty(request.DrainTransitions());
    }

    [Fact]
    public void Approve_by_the_target_from_another_chat_account_is_refused()
    {
        var request = New();
        var targetElsewhere = new Actor(new("alice-second-account", "Alice (2)"), true, OktaIdOf(Alice));

        var outcome = request.Approve(targetElsewhere, Now);

        Assert.False(outcome.Succeeded);
        Assert.Contains("being reset", outcome.Refusal);
    }

    [Fact]
    public void Approve_by_a_non_approver_is_refused()
    {
        var request = New();

        var outcome = request.Approve(NonApprover(Mallory), Now);

        Assert.Equal("only an authorised approver may decide", outcome.Refusal);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
    }

    [Fact]
    public void Deny_by_an_approver_ends_the_request()
    {
        var request = New();

        Assert.True(request.Deny(Approver(Bob), Now).Succeeded);

        Assert.Equal(RequestState.Denied, request.State);
        Assert.True(request.IsFinished);
        Assert.False(request.Approve(Approver(Erin), Now).Succeeded);
    }

    [Fact]
    public void Deny_by_requester_is_refused()
    {
        var request = New();

        Assert.False(request.Deny(Approver(Alice), Now).Succeeded);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
    }

    [Fact]
    public void Second_approval_after_approved_is_refused_with_a_reason()
    {
        var request = New();
        request.Approve(Approver(Bob), Now);

        var outcome = request.Approve(Approver(Erin), Now);

        Assert.False(outcome.Succeeded);
        Assert.Equal("this request was already approved by Bob Helpdesk and is being carried out", outcome.Refusal);
    }

    [Fact]
    public void Two_required_approvals_need_two_distinct_approvers()
    {
        var request = New(requiredApprovals: 2);

        Assert.True(request.Approve(Approver(Bob), Now).Succeeded);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
        Assert.Equal(1, request.ApprovalsRemaining);

        var again = request.Approve(Approver(Bob), Now);
        Assert.False(again.Succeeded);
        Assert.Equal("each approver counts once", again.Refusal);

        Assert.True(request.Approve(Approver(Erin), Now).Succeeded);
        Assert.Equal(RequestState.Approved, request.State);
        Assert.Equal(2, request.DrainTransitions().Count);
    }

    [Fact]
    public void Requester_may_cancel_while_waiting_and_nobody_else_may()
    {
        var request = New();

        Assert.False(request.Cancel(Approver(Bob), Now).Succeeded);
        Assert.True(request.Cancel(new Actor(Alice, false), Now).Succeeded);
        Assert.Equal(RequestState.Cancelled, request.State);
    }

    [Fact]
    public void Cancel_after_approval_is_refused()
    {
        var request = New();
        request.Approve(Approver(Bob), Now);

        Assert.False(request.Cancel(new Actor(Alice, false), Now).Succeeded);
    }

    [Fact]
    public void Expire_is_refused_before_the_deadline_and_ends_the_request_after_it()
    {
        var request = New();

        Assert.False(request.Expire(Now.AddMinutes(29)).Succeeded);
        Assert.True(request.Expire(Now.AddMinutes(30)).Succeeded);
        Assert.Equal(RequestState.Expired, request.State);
    }

    [Fact]
    public void Happy_path_runs_reset_then_enrol_then_completes()
    {
        var request = New();
        request.Approve(Approver(Bob), Now);

        Assert.True(request.StartReset(Now).Succeeded);
        Assert.Equal(RequestState.ResettingFactors, request.State);
        Assert.True(request.ResetSucceeded(Now).Succeeded);
        Assert.Equal(RequestState.EnrollingFactor, request.State);
        Assert.True(request.EnrollSucceeded(new EnrollmentResult("mfr1", "PENDING_ACTIVATION"), Now).Succeeded);

        Assert.Equal(RequestState.Completed, request.State);
        Assert.Equal("mfr1", request.Result!.FactorId);
    }

    [Fact]
    public void Enrol_retry_does_not_reset_again()
    {
        var request = New();
        request.Approve(Approver(Bob), Now);
        request.StartReset(Now);
        request.ResetSucceeded(Now);
        request.EnrollFailed("Okta refused", Now);
        Assert.Equal(RequestState.EnrollFailed, request.State);

        Assert.True(request.Retry(Approver(Erin), Now).Succeeded);

        Assert.Equal(RequestState.EnrollingFactor, request.State);
        Assert.False(request.Permits(RequestTrigger.StartReset, Actor.System));
    }

    [Fact]
    public void Reset_failure_retry_starts_again_from_approved()
    {
        var request = New();
        request.Approve(Approver(Bob), Now);
        request.StartReset(Now);
        request.ResetFailed("Okta could not be reached", Now);

        Assert.Equal("Okta could not be reached", request.FailureMessage);
        Assert.False(request.Retry(Approver(Alice), Now).Succeeded);
        Assert.True(request.Retry(Approver(Bob), Now).Succeeded);
        Assert.Equal(RequestState.Approved, request.State);
    }

    [Theory]
    [InlineData(RequestTrigger.StartReset)]
    [InlineData(RequestTrigger.ResetSucceeded)]
    [InlineData(RequestTrigger.EnrollSucceeded)]
    [InlineData(RequestTrigger.Retry)]
    public void Okta_steps_are_refused_while_awaiting_approval(RequestTrigger trigger)
    {
        var request = New();

        Assert.False(request.Permits(trigger, Approver(Bob)));
        Assert.False(request.StartReset(Now).Succeeded);
        Assert.Equal(RequestState.AwaitingApproval, request.State);
    }

    [Fact]
    public void Buttons_follow_what_the_machine_permits()
    {
        var request = New();
        Assert.True(request.Permits(RequestTrigger.Approve, Actor.AnyOtherApprover));
        Assert.True(request.Permits(RequestTrigger.Deny, Actor.AnyOtherApprover));
        Assert.False(request.Permits(RequestTrigger.Retry, Actor.AnyOtherApprover));

        request.Approve(Approver(Bob), Now);

        Assert.False(request.Permits(RequestTrigger.Approve, Actor.AnyOtherApprover));
        Assert.False(request.Permits(RequestTrigger.Deny, Actor.AnyOtherApprover));
    }

    [Fact]
    public void State_survives_a_json_round_trip()
    {
        var request = New(requiredApprovals: 2);
        request.Approve(Approver(Bob), Now);

        var json = System.Text.Json.JsonSerializer.Serialize(request);
        var copy = System.Text.Json.JsonSerializer.Deserialize<ResetRequest>(json)!;

        Assert.Equal(RequestState.AwaitingApproval, copy.State);
        Assert.Equal(1, copy.ApprovalsRemaining);
        Assert.False(copy.Approve(Approver(Bob), Now).Succeeded);
        Assert.True(copy.Approve(Approver(Erin), Now).Succeeded);
        Assert.Equal(RequestState.Approved, copy.State);
    }
}
