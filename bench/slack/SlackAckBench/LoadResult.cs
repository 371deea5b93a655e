using System.Globalization;

namespace SlackAckBench;

/// <summary>Sorted acknowledgement latencies (ms) and the count of failed or non-2xx requests.</summary>
internal sealed record LoadResult(double[] SortedLatencies, int Failures)
{
    public void Print(int rate, int seconds, TimeSpan elapsed)
    {
        var sent = SortedLatencies.Length + Failures;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests {sent} at {rate}/s for {seconds} s (achieved {sent / elapsed.TotalSeconds:0.0}/s), failures {Failures}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ack latency ms: p50 {Percentile(0.50):0.00}  p90 {Percentile(0.90):0.00}  p99 {Percentile(0.99):0.00}  max {Percentile(1.0):0.00}"));
    }

    public double Percentile(double p) =>
        SortedLatencies.Length == 0 ? double.NaN : SortedLatencies[Math.Clamp((int)Math.Ceiling(p * SortedLatencies.Length) - 1, 0, SortedLatencies.Length - 1)];
}
