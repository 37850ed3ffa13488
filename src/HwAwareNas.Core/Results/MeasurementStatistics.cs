using HwAwareNas.Core.Configuration;
using System.Globalization;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.Results;

/// <summary>
/// Summary of the timed runs of one measurement. The trimmed mean (fastest and slowest
/// <see cref="TrimFraction"/> of runs dropped, as ESM does) is the figure searches use; the rest describe spread.
/// </summary>
/// <param name="TrimmedMean">Mean of the runs left after trimming.</param>
/// <param name="Median">Middle run (mean of the two middle runs for an even count).</param>
/// <param name="P90">90th percentile, linearly interpolated between the closest ranks.</param>
/// <param name="StandardDeviation">Sample standard deviation (n − 1) of all runs; 0 for a single run.</param>
/// <param name="Min">Fastest run.</param>
/// <param name="Max">Slowest run.</param>
/// <param name="Count">Number of runs.</param>
/// <param name="TrimFraction">Fraction of runs dropped at each end before <see cref="TrimmedMean"/>.</param>
/// <param name="P10">10th percentile, interpolated as <paramref name="P90"/>; NaN for rows stored before it was kept.</param>
public sealed record MeasurementStatistics(
    double TrimmedMean,
    double Median,
    double P90,
    double StandardDeviation,
    double Min,
    double Max,
    int Count,
    double TrimFraction,
    double P10 = double.NaN)
{
    /// <summary>
    /// The figure <paramref name="statistic"/> names; NaN when this measurement predates that statistic (it is then
    /// measured again).
    /// </summary>
    public double Figure(LatencyStatistic statistic) => statistic switch
    {
        LatencyStatistic.TrimmedMean => TrimmedMean,
        LatencyStatistic.Median => Median,
        LatencyStatistic.P10 => P10,
        LatencyStatistic.Min => Min,
        _ => throw new ArgumentOutOfRangeException(nameof(statistic), statistic, "Unknown latency statistic."),
    };

    /// <summary>Computes the statistics of <paramref name="samples"/>.</summary>
    /// <param name="samples">The durations of the timed runs, in any order; at least one.</param>
    /// <param name="trimFraction">Fraction in [0, 0.5) of runs dropped at each end for the trimmed mean.</param>
    /// <exception cref="HwNasException">There are no samples, a sample is not finite, or the fraction is out of range.</exception>
    public static MeasurementStatistics FromSamples(IReadOnlyList<double> samples, double trimFraction)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new HwNasException("Measurement statistics need at least one sample.", ExitCode.Failure);
        }

        if (!(trimFraction >= 0 && trimFraction < 0.5))
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"The trim fraction must be in [0, 0.5); got {trimFraction}."),
                ExitCode.BadConfig);
        }

        var sorted = samples.ToArray();
        if (sorted.Any(s => !double.IsFinite(s)))
        {
            throw new HwNasException("Measurement samples must be finite numbers.", ExitCode.Failure);
        }

        Array.Sort(sorted);
        var n = sorted.Length;

        // Never trim away every run: with few runs the trimmed mean falls back towards the plain mean.
        var trimmed = Math.Min((int)Math.Floor(n * trimFraction), (n - 1) / 2);
        var kept = sorted.AsSpan(trimmed, n - (2 * trimmed));
        double keptSum = 0;
        foreach (var s in kept)
        {
            keptSum += s;
        }

        var mean = sorted.Average();
        var squares = sorted.Sum(s => (s - mean) * (s - mean));
        var stdev = n > 1 ? Math.Sqrt(squares / (n - 1)) : 0;
        return new MeasurementStatistics(
            keptSum / kept.Length,
            Percentile(sorted, 0.5),
            Percentile(sorted, 0.9),
            stdev,
            sorted[0],
            sorted[^1],
            n,
            trimFraction,
            Percentile(sorted, 0.1));
    }

    /// <summary>The <paramref name="p"/>-quantile of sorted values, interpolating between ranks (p·(n−1)).</summary>
    private static double Percentile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var fraction = position - lower;
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * fraction);
    }
}
