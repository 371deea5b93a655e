namespace ChatOpsMfa.Requests;

/// <summary>Where a reset request is in its life. Persisted by name, so renaming a member is a migration.</summary>
public enum RequestState
{
    AwaitingApproval,
    Approved,
    ResettingFactors,
    EnrollingFactor,
    Completed,

    /// <summary>The factors were reset but the enrolment failed: a retry enrols again and never resets twice.</summary>
    EnrollFailed,

    /// <summary>The reset itself failed (Okta refused it or could not be reached).</summary>
    Failed,
    Denied,
    Cancelled,
    Expired,
}
