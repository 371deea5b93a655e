namespace ChatOpsMfa.Requests;

/// <summary>What can happen to a reset request.</summary>
public enum RequestTrigger
{
    Approve,
    Deny,
    Cancel,
    Expire,
    Retry,
    StartReset,
    ResetSucceeded,
    ResetFailed,
    EnrollSucceeded,
    EnrollFailed,
}
