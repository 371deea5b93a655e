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

    /// <summary>An approver's Approve or Retry waits for their Okta Verify push.</summary>
    StepUpStarted,

    /// <summary>The approver's Okta Verify push was rejected on the device: a security event.</summary>
    StepUpRejected,

    /// <summary>The approver's Okta Verify push timed out or could not be sent: the decision did not count.</summary>
    StepUpFailed,

    /// <summary>The target's manager confirmed, in chat, that it really is the target asking.</summary>
    ConfirmManager,

    /// <summary>The target's manager reported the request: it is cancelled and the support thread alerted.</summary>
    ReportManager,

    /// <summary>The target's manager cannot be reached in chat: the request cannot be approved.</summary>
    ManagerUnreachable,

    /// <summary>Right after the reset, the person's Okta sessions and OAuth tokens were revoked.</summary>
    SessionsRevoked,

    /// <summary>Revoking the person's sessions after the reset failed.</summary>
    SessionRevocationFailed,

    /// <summary>The approvers were reminded of an undecided request.</summary>
    Reminded,

    /// <summary>The System Log showed a risky event by the person during the watch window after the reset.</summary>
    WatchAlert,
}
