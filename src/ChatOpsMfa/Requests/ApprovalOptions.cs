namespace ChatOpsMfa.Requests;

/// <summary>Who may approve what, and how long a request may wait: section <c>Approvals</c>.</summary>
public sealed class ApprovalOptions
{
    public const string Section = "Approvals";

    /// <summary>
    /// Chat user ids, emails or Okta user ids (<c>00u…</c>) of the people allowed to approve, deny and retry. Whoever
    /// is listed still decides only when their Okta user can be established.
    /// </summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>An Okta group whose members may also approve; checked in Okta at decision time.</summary>
    public string? OktaGroupId { get; set; }

    /// <summary>Members of this Okta group count as privileged targets, like users with admin roles.</summary>
    public string? ProtectedGroupId { get; set; }

    /// <summary>How many distinct approvers a privileged target needs.</summary>
    public int PrivilegedApprovals { get; set; } = 2;

    /// <summary>What happens to a request for a privileged target.</summary>
    public PrivilegedPolicy PrivilegedPolicy { get; set; } = PrivilegedPolicy.RequireMoreApprovals;

    /// <summary>Chat user ids (or emails) of help-desk staff, who may ask for a reset on someone else's behalf.</summary>
    public List<string> HelpDesk { get; set; } = [];

    /// <summary>How long a request waits for a decision before it expires.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
}
