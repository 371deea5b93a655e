namespace ChatOpsMfa.Requests;

/// <summary>Who may approve, and how long a request may wait: section <c>Approvals</c>.</summary>
public sealed class ApprovalOptions
{
    public const string Section = "Approvals";

    /// <summary>Chat user ids (or emails) of the people allowed to approve or deny.</summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>How long a request waits for a decision before it expires.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
}
