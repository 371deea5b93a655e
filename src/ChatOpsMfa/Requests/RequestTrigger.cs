namespace ChatOpsMfa.Requests;

/// <summary>What can happen to a reset request.</summary>
public enum RequestTrigger
{
    Approve,
    Deny,
    Cancel,

    /// <summary>The person being reset says they did not ask for it: the request is cancelled.</summary>
    Object,
    Expire,
    Retry,
    StartReset,
    ResetSucceeded,
    ResetFailed,
    EnrollSucceeded,
    EnrollFailed,

    /// <summary>Okta refused a code the person typed; the count of wrong codes goes up.</summary>
    CodeRejected,

    /// <summary>Okta says the factor is ACTIVE.</summary>
    Activated,

    /// <summary>The activation cannot finish (expired, too many wrong codes, push rejected or timed out).</summary>
    ActivationStopped,

    /// <summary>The pending factor was deleted in Okta (or was already gone).</summary>
    FactorRemoved,
}
