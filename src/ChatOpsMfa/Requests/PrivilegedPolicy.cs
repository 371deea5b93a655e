namespace ChatOpsMfa.Requests;

/// <summary>How requests for privileged targets (Okta admins, the protected group) are treated.</summary>
public enum PrivilegedPolicy
{
    /// <summary>Allowed, with <see cref="ApprovalOptions.PrivilegedApprovals"/> distinct approvers.</summary>
    RequireMoreApprovals,

    /// <summary>Refused outright: privileged accounts are recovered another way.</summary>
    Deny,
}
