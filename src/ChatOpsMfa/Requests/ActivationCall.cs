namespace ChatOpsMfa.Requests;

/// <summary>How Okta answered a call of the activation document, in the terms the request needs.</summary>
public enum ActivationAnswer
{
    /// <summary>The factor is ACTIVE.</summary>
    Active,

    /// <summary>Still pending: a push nobody has scanned yet, a code resent, a factor removed.</summary>
    Pending,

    /// <summary>Okta said the code did not match (403 E0000068).</summary>
    WrongCode,

    /// <summary>Okta ended the push activation: nobody scanned in time (TIMEOUT), or the device said no (REJECTED, ERROR, CANCELLED).</summary>
    Ended,

    /// <summary>Okta refused for another reason or was not reached; <see cref="ActivationCall.Problem"/> says which.</summary>
    Failed,
}

/// <summary>The outcome of one activation call. <see cref="Problem"/> is Okta's refusal (or the push result) in plain words.</summary>
public sealed record ActivationCall(ActivationAnswer Answer, string? Problem = null, bool OutcomeKnown = true)
{
    public static ActivationCall Active { get; } = new(ActivationAnswer.Active);

    public static ActivationCall Pending { get; } = new(ActivationAnswer.Pending);
}
