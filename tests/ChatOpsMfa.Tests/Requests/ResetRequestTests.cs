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
    public void Happy_path_runs_reset_then_enrol_then_waits_for_activation_then_completes()
    {
        var request = New();
        request.Approve(Approver(Bob), Now);

        Assert.True(request.StartReset(Now).Succeeded);
        Assert.Equal(RequestState.ResettingFactors, request.State);
        Assert.True(request.ResetSucceeded(Now).Succeeded);
        Assert.Equal(RequestState.EnrollingFactor, request.State);
        Assert.True(request.EnrollSucceeded(new EnrollmentResult("mfr1", "PENDING_ACTIVATION"), Now, TimeSpan.FromMinutes(30)).Succeeded);

        Assert.Equal(RequestState.AwaitingActivation, request.State);
        Assert.Equal(Now.AddMinutes(30), request.ActivationExpiresAt);
        Assert.False(request.IsFinished);
        Assert.True(request.BeginCodeAttempt(Owner(), Now).Succeeded);
        Assert.True(request.Activated(Now).Succeeded);
        Assert.Equal(RequestState.Completed, request.State);
        Assert.Equal(("mfr1", "ACTIVE"), (request.Result!.FactorId, request.Result.FactorStatus));
    }

    [Fact]
    public void A_factor_Okta_already_reports_ACTIVE_completes_at_enrolment()
    {
        var request = Enrolling();

        request.EnrollSucceeded(new EnrollmentResult("mfr1", "ACTIVE"), Now);

        Assert.Equal(RequestState.Completed, request.State);
        Assert.Null(request.ActivationExpiresAt);
    }

    [Fact]
    public void Only_the_owner_may_type_a_code_and_a_second_chat_account_of_someone_else_is_not_enough()
    {
        var request = Activating();

        Assert.False(request.BeginCodeAttempt(Approver(Bob), Now).Succeeded);
        // Alice's chat id but another Okta user (a second account claiming to be her) is refused too.
        Assert.False(request.BeginCodeAttempt(new Actor(Alice, false, OktaIdOf(Bob)), Now).Succeeded);
        Assert.False(request.BeginCodeAttempt(new Actor(Alice, false, null), Now).Succeeded);
        Assert.Contains("only the person whose new factor it is", request.BeginCodeAttempt(Approver(Bob), Now).Refusal);
        Assert.Equal(0, request.CodesTried);
    }

    [Fact]
    public void Five_wrong_codes_stop_the_activation_and_no_sixth_code_is_accepted()
    {
        var request = Activating();

        for (var i = 1; i <= ResetRequest.MaxWrongCodes; i++)
        {
            Assert.True(request.BeginCodeAttempt(Owner(), Now).Succeeded);
            request.CodeRejected(Now);
            Assert.Equal(ResetRequest.MaxWrongCodes - i, request.CodeAttemptsLeft);
        }

        Assert.Equal(RequestState.RemovingFactor, request.State);
        Assert.Contains("5 wrong codes", request.ActivationEndedBecause);
        Assert.False(request.BeginCodeAttempt(Owner(), Now).Succeeded);
        var audited = request.DrainTransitions().Select(t => t.Trigger).ToList();
        Assert.Equal(ResetRequest.MaxWrongCodes, audited.Count(t => t == RequestTrigger.CodeRejected));
        Assert.Contains(RequestTrigger.ActivationStopped, audited);
    }

    [Fact]
    public void A_code_Okta_could_not_judge_does_not_count()
    {
        var request = Activating();

        request.BeginCodeAttempt(Owner(), Now);
        request.CodeAttemptNotJudged();

        Assert.Equal(ResetRequest.MaxWrongCodes, request.CodeAttemptsLeft);
    }

    [Fact]
    public void An_expired_activation_refuses_codes_removes_the_factor_and_an_approver_retry_enrols_again_without_a_reset()
    {
        var request = Activating();
        var later = Now.AddMinutes(31);

        Assert.False(request.ExpireActivation(Now.AddMinutes(29)).Succeeded);
        Assert.False(request.BeginCodeAttempt(Owner(), later).Succeeded);
        Assert.True(request.ExpireActivation(later).Succeeded);
        Assert.Equal(RequestState.RemovingFactor, request.State);
        Assert.True(request.NeedsOktaWork);
        Assert.False(request.Retry(Approver(Erin), later).Succeeded); // not before the factor is gone
        Assert.True(request.FactorRemoved(later).Succeeded);
        Assert.Equal(RequestState.ActivationFailed, request.State);
        Assert.Contains("expired", request.FailureMessage);

        Assert.False(request.Retry(Approver(Alice), later).Succeeded); // the target does not retry their own reset
        Assert.True(request.Retry(Approver(Erin), later).Succeeded);
        Assert.Equal(RequestState.EnrollingFactor, request.State);
        Assert.Equal((0, 0, (DateTimeOffset?)null), (request.CodesTried, request.CodesResent, request.ActivationExpiresAt));
    }

    [Fact]
    public void Resends_are_bounded_and_only_for_the_owner()
    {
        var request = Activating();

        Assert.False(request.BeginResend(Approver(Bob), Now, 2).Succeeded);
        Assert.True(request.BeginResend(Owner(), Now, 2).Succeeded);
        Assert.True(request.BeginResend(Owner(), Now, 2).Succeeded);
        Assert.False(request.BeginResend(Owner(), Now, 2).Succeeded);
        request.ResendNotDone();
        Assert.True(request.BeginResend(Owner(), Now, 2).Succeeded);
    }

    private static Actor Owner() => new(Alice, false, OktaIdOf(Alice));

    private static ResetRequest Enrolling()
    {
        var request = New();
        request.Approve(Approver(Bob), Now);
        request.StartReset(Now);
        request.ResetSucceeded(Now);
        return request;
    }

    private static ResetRequest Activating()
    {
        var request = Enrolling();
        request.EnrollSucceeded(new EnrollmentResult("mfr1", "PENDING_ACTIVATION"), Now, TimeSpan.FromMinutes(30));
        return request;
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
