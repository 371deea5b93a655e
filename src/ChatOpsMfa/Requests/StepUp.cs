using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>
/// An approver's decision waiting for their own Okta Verify push: it counts only once Okta says SUCCESS.
/// Stored with the request, so a restart keeps polling where it was.
/// </summary>
/// <param name="Action">Approve or Retry: what counts once the push is accepted.</param>
/// <param name="TransactionId">Okta's push transaction, once sent; null while the push is on its way.</param>
public sealed record StepUp(
    string Id,
    RequestTrigger Action,
    ChatUser By,
    string OktaUserId,
    string FactorId,
    DateTimeOffset StartedAt,
    DateTimeOffset ExpiresAt,
    string? TransactionId = null);
