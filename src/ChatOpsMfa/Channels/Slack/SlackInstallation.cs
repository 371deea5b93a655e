namespace ChatOpsMfa.Channels.Slack;

/// <summary>
/// The one workspace (or Enterprise Grid organisation) and the one app this bot serves, learnt from <c>auth.test</c>
/// and <c>bots.info</c> at start, or given as <c>Slack:TeamId</c> and <c>Slack:AppId</c>. Every payload and every
/// person must belong to it; until it is known, nothing is accepted (fail closed).
/// </summary>
public sealed class SlackInstallation
{
    private readonly TaskCompletionSource _known = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Pinned? _pinned;

    public bool IsKnown => _pinned is not null;

    public string? TeamId => _pinned?.TeamId;

    public string? EnterpriseId => _pinned?.EnterpriseId;

    public string? AppId => _pinned?.AppId;

    /// <summary>Completes once the installation is known (Socket Mode waits for it before connecting).</summary>
    public Task WhenKnownAsync(CancellationToken cancellationToken) => _known.Task.WaitAsync(cancellationToken);

    public void Pin(string teamId, string? enterpriseId, string appId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        ArgumentException.ThrowIfNullOrWhiteSpace(appId);
        _pinned = new Pinned(teamId, string.IsNullOrWhiteSpace(enterpriseId) ? null : enterpriseId, appId);
        _known.TrySetResult();
    }

    /// <summary>
    /// True when a workspace id and organisation id (either may be missing) name this installation: the same workspace,
    /// or, for an organisation-wide install, the same Enterprise Grid organisation.
    /// </summary>
    public bool Owns(string? teamId, string? enterpriseId) =>
        _pinned is { } pinned &&
        ((teamId is not null && string.Equals(teamId, pinned.TeamId, StringComparison.Ordinal)) ||
         (pinned.EnterpriseId is not null && string.Equals(enterpriseId, pinned.EnterpriseId, StringComparison.Ordinal)));

    /// <summary>Why a payload is not for this installation, or null when it is (its app, and its workspace or organisation).</summary>
    public string? Refuses(string? teamId, string? enterpriseId, string? appId)
    {
        if (_pinned is not { } pinned)
        {
            return "the Slack installation is not known yet (auth.test has not answered)";
        }

        if (!string.Equals(appId, pinned.AppId, StringComparison.Ordinal))
        {
            return "the payload's api_app_id is not this app's";
        }

        return Owns(teamId, enterpriseId) ? null : "the payload's team_id / enterprise_id is not this installation's";
    }

    private sealed record Pinned(string TeamId, string? EnterpriseId, string AppId);
}
