namespace ChatOpsMfa.Telemetry;

/// <summary>Okta's last answer to the bot's credentials, as seen on real calls: 401 says they are not accepted (a 403 is about one operation's permission).</summary>
public sealed class OktaCredentialState(TimeProvider time)
{
    private volatile Observation? _last;

    public Observation? Last => _last;

    public void Observed(int status) => _last = new Observation(status, time.GetUtcNow());

    public sealed record Observation(int Status, DateTimeOffset At)
    {
        public bool Refused => Status == 401;
    }
}
