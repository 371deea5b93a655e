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
}
