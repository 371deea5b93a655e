namespace ChatOpsMfa.Requests;

/// <summary>
/// Reads the target's last 7 days of System Log for the approval card: where they last signed in and whether that
/// country was new, recent password and factor changes, and earlier MFA resets. Okta's silence is shown as such.
/// </summary>
public sealed class SignInRiskReader(OktaContainmentRunner okta, TimeProvider time)
{
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(7);

    private static readonly string[] PasswordEvents = ["user.account.reset_password", "user.account.update_password", "user.credential.forgot_password"];

    public async Task<SignInRisk> ReadAsync(string oktaUserId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var filter = $"{OktaContainmentRunner.UserFilter("actor.id", oktaUserId)} or {OktaContainmentRunner.UserFilter("target.id", oktaUserId)}";
        var (events, problem) = await okta.ReadLogAsync(now - Lookback, now, filter, cancellationToken);
        return events is null ? SignInRisk.Unknown($"Okta's System Log could not be read ({problem})") : Summarise(events, oktaUserId);
    }

    public static SignInRisk Summarise(IReadOnlyList<SystemLogEvent> events, string oktaUserId)
    {
        var signIns = events
            .Where(e => e.EventType == "user.session.start" && e.ActorId == oktaUserId && e.Outcome is null or "SUCCESS")
            .OrderBy(e => e.Published)
            .ToList();
        var last = signIns.LastOrDefault();
        bool? newCountry = last is null ? null
            : last.Behavior("New Country") is { } verdict ? verdict
            : signIns.Count > 1 && last.Country is not null ? !signIns.Take(signIns.Count - 1).Any(e => e.Country == last.Country)
            : null;
        var concerning = events.Where(e => e.ActorId == oktaUserId || e.TargetIds.Contains(oktaUserId, StringComparer.Ordinal)).ToList();
        var resets = concerning.Where(e => e.EventType == "user.mfa.factor.reset_all").ToList();
        return new SignInRisk(
            last?.Country,
            last?.City,
            last?.Published,
            newCountry,
            concerning.Where(e => PasswordEvents.Contains(e.EventType, StringComparer.Ordinal)).Select(e => (DateTimeOffset?)e.Published).Max(),
            concerning.Where(e => e.EventType.StartsWith("user.mfa.factor.", StringComparison.Ordinal) && e.EventType != "user.mfa.factor.reset_all")
                .Select(e => (DateTimeOffset?)e.Published).Max(),
            resets.Count,
            resets.Select(e => (DateTimeOffset?)e.Published).Max());
    }
}
