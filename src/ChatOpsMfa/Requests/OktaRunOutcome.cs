namespace ChatOpsMfa.Requests;

/// <summary>
/// What came of running the Okta workflow for a request. <see cref="OutcomeKnown"/> is false when a call got no answer
/// (timeout, connection lost), so whether it took effect must be checked before trying again.
/// </summary>
public sealed record OktaRunOutcome(
    bool Succeeded, EnrollmentResult? Result, EnrollmentActivation Activation, string? Problem, bool OutcomeKnown)
{
    public static OktaRunOutcome Success(EnrollmentResult result, EnrollmentActivation activation) => new(true, result, activation, null, true);

    public static OktaRunOutcome Failure(string problem, bool outcomeKnown) => new(false, null, EnrollmentActivation.None, problem, outcomeKnown);
}
