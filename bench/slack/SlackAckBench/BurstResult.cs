using System.Globalization;

namespace SlackAckBench;

/// <summary>One burst against one server: its answered latencies and failures, and how long it ran.</summary>
internal sealed record BurstResult(LoadResult Load, TimeSpan Elapsed)
{
    public int Answered => Load.SortedLatencies.Length;

    public double Throughput => Answered / Elapsed.TotalSeconds;

    public static BurstResult Combine(IReadOnlyList<BurstResult> rounds) => new(
        new LoadResult(rounds.SelectMany(r => r.Load.SortedLatencies).Order().ToArray(), rounds.Sum(r => r.Load.Failures)),
        TimeSpan.FromTicks(rounds.Sum(r => r.Elapsed.Ticks)));

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Throughput,8:0} req/s  p50 {Load.Percentile(0.50),6:0.00}  p90 {Load.Percentile(0.90),6:0.00}  p99 {Load.Percentile(0.99),6:0.00}  max {Load.Percentile(1.0),7:0.00} ms  ({Answered} answered, {Load.Failures} failed)");
}
