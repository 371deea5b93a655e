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

    /// <summary>
    /// The step-up an Approve or Retry needs before it counts. Null means the default: an Okta Verify push outside
    /// Development, none in Development (the local run's appsettings turn it on).
    /// </summary>
    public ApproverVerification? ApproverVerification { get; set; }

    /// <summary>How long an approver's Okta Verify push may go unanswered before the decision is dropped.</summary>
    public TimeSpan VerificationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often pending Okta Verify pushes are polled.</summary>
    public TimeSpan VerificationPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether the target's manager must confirm in chat, for every request or only for privileged targets.</summary>
    public ManagerConfirmation ManagerConfirmation { get; set; } = ManagerConfirmation.None;

    /// <summary>After this long undecided, the request's thread gets one reminder mentioning the approvers.</summary>
    public TimeSpan ReminderAfter { get; set; } = TimeSpan.FromMinutes(10);
}
