using System.Diagnostics;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Fault injection for the crash tests: when <c>Testing:CrashAt</c> names a point and the host runs in
/// Development, the process kills itself (SIGKILL, no clean-up) on reaching it. Inert everywhere else.
/// </summary>
public sealed partial class CrashPoints(IConfiguration configuration, IHostEnvironment environment, ILogger<CrashPoints> logger)
{
    public const string AfterApproval = "after-approval";
    public const string AfterReset = "after-reset";
    public const string EnrolAnswered = "enrol-answered";
    public const string AfterEnrol = "after-enrol";

    /// <summary>Okta accepted the owner's code (the factor is ACTIVE); the request does not know it yet.</summary>
    public const string CodeAccepted = "code-accepted";

    /// <summary>Okta deleted an ended activation's pending factor; the request does not know it yet.</summary>
    public const string FactorDeleted = "factor-deleted";

    private readonly string? _armed = environment.IsDevelopment() ? configuration["Testing:CrashAt"] : null;

    public void Reached(string point)
    {
        if (string.Equals(_armed, point, StringComparison.Ordinal))
        {
            LogCrashing(point);
            Process.GetCurrentProcess().Kill();
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Testing:CrashAt reached '{Point}': killing the process on purpose")]
    private partial void LogCrashing(string point);
}
