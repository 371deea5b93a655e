namespace ChatOpsMfa.Requests;

/// <summary>
/// The verdict on a target before a request is created: the facts for approvers, how many approvals it needs and
/// why, or why it is refused outright.
/// </summary>
public sealed record TargetAssessment(TargetInsight Insight, int RequiredApprovals, string? ApprovalNote, string? Refusal);
