namespace ChatOpsMfa.Tests.Slack;

/// <summary>
/// The machine's clock moved forward on demand: timers run at their real pace (workers keep polling), while "now" can
/// jump past an activation's expiry or an SMS send interval. The whole host reads it, the Okta sandbox and the Slack
/// request verifier included, and the test host signs with it.
/// </summary>
internal sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void MoveForward(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
