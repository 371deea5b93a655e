namespace ChatOpsMfa.Requests;

/// <summary>
/// The System Log events that make up the 2023 help-desk attack once an account is in the attacker's hands (Okta's
/// advisory "Cross-Tenant Impersonation"): the admin console, privilege grants, a new identity provider, policy
/// changes, and further factor changes. Each gets words for the support thread.
/// </summary>
public static class WatchPatterns
{
    /// <summary>The person activating the new factor themselves (an Okta Verify scan) is logged a little after the bot sees ACTIVE.</summary>
    public static readonly TimeSpan ActivationGrace = TimeSpan.FromMinutes(2);

    /// <summary>What the event means, in words; null when it is not part of the pattern (or is the recovery's own activation).</summary>
    public static string? Describe(SystemLogEvent logEvent, string? newFactorId, DateTimeOffset? activatedAt = null)
    {
        // The recovery's own activation is expected: until the new factor is ACTIVE, and shortly after, it is not an alert.
        if (logEvent.EventType == "user.mfa.factor.activate" && (activatedAt is null || logEvent.Published <= activatedAt + ActivationGrace))
        {
            return null;
        }

        var type = logEvent.EventType;
        if (type == "user.session.access_admin_app")
        {
            return "opened the Okta Admin Console";
        }

        if (type.StartsWith("user.account.privilege.grant", StringComparison.Ordinal) || type.StartsWith("group.privilege.grant", StringComparison.Ordinal)
            || type.StartsWith("iam.role.", StringComparison.Ordinal) || type.StartsWith("iam.resourceset.bindings.", StringComparison.Ordinal))
        {
            return "granted admin privileges";
        }

        if (type.StartsWith("system.idp.lifecycle.", StringComparison.Ordinal))
        {
            return "created or changed an identity provider";
        }

        if (type.StartsWith("policy.lifecycle.", StringComparison.Ordinal) || type.StartsWith("policy.rule.", StringComparison.Ordinal))
        {
            return "changed a sign-on or authentication policy";
        }

        if ((type.StartsWith("user.mfa.factor.", StringComparison.Ordinal) || type.StartsWith("system.mfa.factor.", StringComparison.Ordinal))
            && !(newFactorId is not null && logEvent.TargetIds.Contains(newFactorId, StringComparer.Ordinal)))
        {
            return "changed MFA factors again";
        }

        return null;
    }
}
