namespace ChatOpsMfa.Requests;

/// <summary>Where a reset request is in its life. Persisted by name, so renaming a member is a migration.</summary>
public enum RequestState
{
    AwaitingApproval,
    Approved,
    ResettingFactors,
    EnrollingFactor,

    /// <summary>Enrolled, not yet usable: waiting for the person to type the code (or approve the push) so Okta activates it.</summary>
    AwaitingActivation,

    /// <summary>The activation ended without success (expired, too many wrong codes, push rejected): the pending factor is being removed from Okta.</summary>
    RemovingFactor,

    /// <summary>The activation ended without success and the pending factor is gone: an approver may retry the enrolment.</summary>
    ActivationFailed,

    /// <summary>Okta says the new factor is ACTIVE: the person can sign in with it.</summary>
    Completed,

    /// <summary>The factors were reset but the enrolment failed: a retry enrols again and never resets twice.</summary>
    EnrollFailed,

    /// <summary>The reset itself failed (Okta refused it or could not be reached).</summary>
    Failed,
    Denied,
    Cancelled,
    Expired,
}
