namespace FashionMnistApp;

/// <summary>
/// Statistics of timed runs, defined as hwnas defines them: the mean after dropping the fastest and the slowest
/// <see cref="TrimFraction"/> of runs, and median and p90 interpolated between ranks.
/// </summary>
internal sealed record LatencyStatistics(double TrimmedMeanMs, double MedianMs, double P90Ms, double StdevMs, int Runs)
{
    /// <summary>The fraction dropped at each end (hwnas' default <c>measure.trim</c>).</summary>
    public const double TrimFraction = 0.2;

    /// <summary>Statistics of <paramref name="samples"/> in milliseconds.</summary>
    public static LatencyStatistics FromSamples(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        var n = sorted.Length;
        var trimmed = Math.Min((int)Math.Floor(n * TrimFraction), (n - 1) / 2);
        var mean = sorted.Average();
        var stdev = n > 1 ? Math.Sqrt(sorted.Sum(s => (s - mean) * (s - mean)) / (n - 1)) : 0;
        return new LatencyStatistics(sorted[trimmed..(n - trimmed)].Average(), Percentile(sorted, 0.5), Percentile(sorted, 0.9), stdev, n);
    }

    private static double Percentile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (position - lower));
    }
}
