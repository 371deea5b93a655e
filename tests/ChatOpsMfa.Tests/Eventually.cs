namespace ChatOpsMfa.Tests;

/// <summary>Waits, with a bound, for something the bot does in the background. Never a timing assertion.</summary>
internal static class Eventually
{
    /// <summary>
    /// The bound when a test names none: generous, because it is reached only when the awaited thing never happens,
    /// and a loaded two-core CI machine (hosts starting in parallel tests, GC, a stalled thread pool) can take many
    /// seconds for what takes milliseconds here. A passing test never waits for it.
    /// </summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(30);

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTimeOffset.UtcNow + (within ?? DefaultWithin);
        while (!condition() && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), "Timed out waiting for " + what);
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTimeOffset.UtcNow + (within ?? DefaultWithin);
        while (!await condition() && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition(), "Timed out waiting for " + what);
    }
}
