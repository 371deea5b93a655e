using ChatOpsMfa.Requests;
using static ChatOpsMfa.Tests.Requests.RequestFactory;

namespace ChatOpsMfa.Tests.Requests;

/// <summary>
/// How codes typed for a pending factor are counted: each before it goes to Okta (so at most five are ever judged),
/// and only five wrong answers stop the activation (a counted code still at Okta may be the right one).
/// </summary>
public sealed class CodeAttemptTests
{
    private static readonly Actor Owner = new(Alice, false, OktaIdOf(Alice));

    [Fact]
    public void The_fifth_wrong_code_stops_the_activation()
    {
        var request = AwaitingActivation();
        for (var i = 0; i < ResetRequest.MaxWrongCodes; i++)
        {
            Assert.Equal(RequestState.AwaitingActivation, request.State);
            Assert.True(request.BeginCodeAttempt(Owner, Now).Succeeded);
            Assert.True(request.CodeRejected(Now).Succeeded);
        }

        Assert.Equal(RequestState.RemovingFactor, request.State);
        Assert.Equal("5 wrong codes were entered", request.ActivationEndedBecause);
    }

    [Fact]
    public void No_sixth_code_is_counted_while_five_are_still_at_Okta()
    {
        var request = AwaitingActivation();
        for (var i = 0; i < ResetRequest.MaxWrongCodes; i++)
        {
            Assert.True(request.BeginCodeAttempt(Owner, Now).Succeeded);
        }

        var sixth = request.BeginCodeAttempt(Owner, Now);

        Assert.False(sixth.Succeeded);
        Assert.Contains("no more are accepted", sixth.Refusal, StringComparison.Ordinal);
        Assert.Equal(ResetRequest.MaxWrongCodes, request.CodesTried);
    }

    [Fact]
    public void A_right_code_still_at_Okta_when_four_others_were_wrong_completes_the_request()
    {
        var request = AwaitingActivation();
        for (var i = 0; i < ResetRequest.MaxWrongCodes; i++)
        {
            Assert.True(request.BeginCodeAttempt(Owner, Now).Succeeded); // the right one among them
        }

        for (var i = 0; i < ResetRequest.MaxWrongCodes - 1; i++)
        {
            Assert.True(request.CodeRejected(Now).Succeeded);
        }

        Assert.Equal(RequestState.AwaitingActivation, request.State);
        Assert.True(request.Activated(Now).Succeeded);
        Assert.Equal(RequestState.Completed, request.State);
    }

    [Fact]
    public void A_wrong_answer_for_a_code_nobody_counted_is_refused()
    {
        var request = AwaitingActivation();
        Assert.True(request.BeginCodeAttempt(Owner, Now).Succeeded);
        Assert.True(request.CodeRejected(Now).Succeeded);

        Assert.False(request.CodeRejected(Now).Succeeded);
        Assert.Equal(1, request.WrongCodes);
    }

    [Fact]
    public void A_retry_starts_the_count_afresh()
    {
        var request = AwaitingActivation();
        for (var i = 0; i < ResetRequest.MaxWrongCodes; i++)
        {
            request.BeginCodeAttempt(Owner, Now);
            request.CodeRejected(Now);
        }

        Assert.True(request.FactorRemoved(Now).Succeeded);
        Assert.True(request.Retry(Approver(Bob), Now).Succeeded);

        Assert.Equal((0, 0), (request.CodesTried, request.WrongCodes));
    }

    private static ResetRequest AwaitingActivation()
    {
        var request = New();
        request.Approve(Approver(Bob), Now);
        request.StartReset(Now);
        request.ResetSucceeded(Now);
        Assert.True(request.EnrollSucceeded(new EnrollmentResult("mfr1", "PENDING_ACTIVATION"), Now).Succeeded);
        Assert.Equal(RequestState.AwaitingActivation, request.State);
        return request;
    }
}
