namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>How the simulated Okta Verify device answered a push challenge.</summary>
internal enum PushChallengeState
{
    Waiting,
    Approved,
    Rejected,
}

/// <summary>
/// One verifyFactor push transaction: Okta's <c>factorResult</c> is WAITING until the device answers (SUCCESS or
/// REJECTED) or <c>expiresAt</c> passes unanswered (TIMEOUT). Guarded by the directory's lock.
/// </summary>
internal sealed class SandboxPushChallenge(string userId, string factorId, string transactionId, DateTimeOffset expiresAt)
{
    /// <summary>Okta's push challenge lives five minutes (UserFactorChallengePushResponse's expiresAt).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public string UserId { get; } = userId;

    public string FactorId { get; } = factorId;

    public string TransactionId { get; } = transactionId;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public PushChallengeState State { get; set; }

    /// <summary>UserFactorPushTransaction's factorResult at <paramref name="now"/>.</summary>
    public string Result(DateTimeOffset now) => State switch
    {
        PushChallengeState.Approved => "SUCCESS",
        PushChallengeState.Rejected => "REJECTED",
        _ when now >= ExpiresAt => "TIMEOUT",
        _ => "WAITING",
    };
}
