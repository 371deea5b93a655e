namespace ChatOpsMfa.Storage;

/// <summary>What an instance leases on a request: its Okta work, or the delivery of its owed chat messages.</summary>
public enum LeaseKind
{
    /// <summary>The reset, the enrolment and the removal of a pending factor (<c>requests.work_holder/work_until</c>).</summary>
    OktaWork,

    /// <summary>Delivering the request's outbox in order (<c>requests.outbox_holder/outbox_until</c>).</summary>
    Outbox,
}
