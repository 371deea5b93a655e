namespace ChatOpsMfa.Requests;

/// <summary>What an approver must do, beyond clicking, for an Approve or Retry to count (<c>Approvals:ApproverVerification</c>).</summary>
public enum ApproverVerification
{
    /// <summary>An Okta Verify push to the approver's own active push factor; only SUCCESS counts the decision.</summary>
    OktaVerifyPush,

    /// <summary>The click alone counts. Chat sessions are not Okta sessions: use it only where chat is the only proof there is.</summary>
    None,
}
