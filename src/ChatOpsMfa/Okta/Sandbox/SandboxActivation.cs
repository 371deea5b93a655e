using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>How a push activation stands, as the simulated Okta Verify device left it.</summary>
internal enum PushActivationState
{
    Waiting,
    Approved,
    Cancelled,
}

/// <summary>
/// What the sandbox remembers about one factor waiting for activation: the one-time code it "sent" (sms, call, email),
/// the activation attempts (Okta: five within five minutes) and, for Okta Verify push, the enrolment token and state.
/// Guarded by the directory's lock.
/// </summary>
internal sealed class SandboxActivation
{
    /// <summary>Okta's limit on activateFactor: five attempts within five minutes.</summary>
    public const int MaxAttempts = 5;

    public static readonly TimeSpan AttemptWindow = TimeSpan.FromMinutes(5);

    private readonly List<DateTimeOffset> _attempts = [];
    private string? _code;

    public SandboxActivation(string userId, string factorId, string factorType, TimeSpan codeLifetime)
    {
        UserId = userId;
        FactorId = factorId;
        FactorType = factorType;
        CodeLifetime = codeLifetime;
    }

    public string UserId { get; }

    public string FactorId { get; }

    public string FactorType { get; }

    /// <summary>enrollFactor's <c>tokenLifetimeSeconds</c> (default 300 s), kept for resends.</summary>
    public TimeSpan CodeLifetime { get; }

    public DateTimeOffset CodeExpiresAt { get; private set; }

    /// <summary>The one-time token inside the Okta Verify enrolment URI and the QR link (push only).</summary>
    public string? PushToken { get; init; }

    public DateTimeOffset PushExpiresAt { get; init; }

    public PushActivationState PushState { get; set; }

    /// <summary>A fresh random six-digit code; any earlier one stops working.</summary>
    public string IssueCode(DateTimeOffset now)
    {
        _code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        CodeExpiresAt = now + CodeLifetime;
        return _code;
    }

    /// <summary>True when five attempts already fall inside the last five minutes.</summary>
    public bool AttemptsExhausted(DateTimeOffset now)
    {
        _attempts.RemoveAll(at => at <= now - AttemptWindow);
        return _attempts.Count >= MaxAttempts;
    }

    public void RecordAttempt(DateTimeOffset now) => _attempts.Add(now);

    /// <summary>The code matches the last one sent and has not expired.</summary>
    public bool CodeMatches(string? passCode, DateTimeOffset now) =>
        _code is not null && passCode is not null && now < CodeExpiresAt &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(_code), Encoding.ASCII.GetBytes(passCode));

    /// <summary>The push activation's result as Okta reports it (UserFactorActivatePushResult).</summary>
    public string PushResult(DateTimeOffset now) => PushState switch
    {
        PushActivationState.Cancelled => "CANCELLED",
        PushActivationState.Waiting when now >= PushExpiresAt => "TIMEOUT",
        _ => "WAITING",
    };
}
