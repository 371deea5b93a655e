namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// A System Log event a test (or the seed) puts into the sandbox's log, as Okta would have recorded it: an event type
/// such as <c>user.session.access_admin_app</c>, who did it (a user id), and what it was done to (user ids).
/// </summary>
public sealed record SandboxLogEntry(string EventType, string ActorId, string DisplayMessage)
{
    /// <summary>When Okta published the event; now (on the sandbox's clock) when not set.</summary>
    public DateTimeOffset? Published { get; init; }

    /// <summary>The client's country, e.g. "United States" (Okta's full country names); no geographical context when null.</summary>
    public string? Country { get; init; }

    public string? City { get; init; }

    /// <summary>
    /// For a sign-in: whether Okta's behaviour detection saw a new country. Set, it puts Okta's <c>behaviors</c>
    /// string into <c>debugContext.debugData</c>; null leaves it out.
    /// </summary>
    public bool? NewCountry { get; init; }

    /// <summary>Each becomes a <c>User</c> target with that id.</summary>
    public IReadOnlyList<string> TargetIds { get; init; } = [];

    /// <summary>Okta's LogOutcome result (SUCCESS, FAILURE, ...).</summary>
    public string OutcomeResult { get; init; } = "SUCCESS";
}
