namespace ChatOpsMfa.Requests;

/// <summary>What Okta answered about an approver's Okta Verify push.</summary>
public enum StepUpAnswer
{
    /// <summary>Sent, or still waiting for the approver.</summary>
    Waiting,

    /// <summary>The approver accepted the push on their device.</summary>
    Success,

    /// <summary>The approver (or whoever holds the device) rejected it.</summary>
    Rejected,

    /// <summary>Okta says nobody answered in time.</summary>
    TimedOut,

    /// <summary>Okta could not be asked, or refused; <see cref="StepUpCall.Problem"/> says why.</summary>
    Failed,
}

/// <summary>One answer from Okta about a push, and the transaction to poll when one was sent.</summary>
public sealed record StepUpCall(StepUpAnswer Answer, string? TransactionId = null, string? Problem = null);
