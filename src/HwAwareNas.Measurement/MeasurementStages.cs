using HwAwareNas.Core.Configuration;

namespace HwAwareNas.Measurement;

/// <summary>Untimed runs that bring caches, allocators and thread pools to a steady state.</summary>
internal static class WarmupStage
{
    /// <summary>Runs <paramref name="runs"/> inferences (at least one) and returns the first (cold) one's duration.</summary>
    public static double Run(IInferenceRunner runner, int runs, CancellationToken cancellationToken)
    {
        var first = runner.Run();
        for (var i = 1; i < runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            runner.Run();
        }

        return first;
    }
}

/// <summary>
/// The timed runs of one model: a fixed count, or, when adaptive, as many as it takes for the 99% confidence interval
/// of the mean to be within a relative error (between a minimum and a maximum count), as BenchmarkDotNet's actual
/// stage does. The runs come in rounds so that the engine can interleave several models: each round adds
/// 1/<see cref="MeasureOptions.Rounds"/> of the fixed count (adaptive: of the minimum), and adaptive stopping is
/// considered only from the last planned round on, so every model's runs spread over the same rounds.
/// </summary>
internal sealed class ActualStage(MeasureOptions options)
{
    private readonly List<double> _samples = [];
    private readonly RunningMoments _moments = new();

    /// <summary>The durations so far, in order.</summary>
    public IReadOnlyList<double> Samples => _samples;

    /// <summary>True once the stage has all the runs it needs.</summary>
    public bool Finished { get; private set; }

    private int Rounds => Math.Max(1, options.Rounds);

    private int Limit => options.Adaptive.Enabled ? options.Adaptive.MaxRuns : options.Runs;

    private int RunsPerRound => (int)Math.Ceiling((options.Adaptive.Enabled ? options.Adaptive.MinRuns : options.Runs) / (double)Rounds);

    /// <summary>Runs round <paramref name="round"/>'s share of the timed inferences (nothing once finished).</summary>
    public void RunRound(IInferenceRunner runner, int round, CancellationToken cancellationToken)
    {
        var target = (int)Math.Min(Limit, (long)RunsPerRound * (round + 1));
        var mayStop = options.Adaptive.Enabled && round >= Rounds - 1;
        while (!Finished && _samples.Count < target)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var duration = runner.Run();
            _samples.Add(duration);
            _moments.Add(duration);
            Finished = _samples.Count >= Limit
                || (mayStop && _samples.Count >= options.Adaptive.MinRuns && _moments.RelativeHalfWidth99() <= options.Adaptive.MaxRelativeError);
        }
    }
}

/// <summary>Running mean and variance (Welford), and the confidence interval they give.</summary>
internal sealed class RunningMoments
{
    private double _mean;
    private double _squares;

    /// <summary>Number of values added.</summary>
    public int Count { get; private set; }

    /// <summary>Mean of the values.</summary>
    public double Mean => _mean;

    /// <summary>Adds a value.</summary>
    public void Add(double value)
    {
        Count++;
        var delta = value - _mean;
        _mean += delta / Count;
        _squares += delta * (value - _mean);
    }

    /// <summary>
    /// Half-width of the two-sided 99% confidence interval of the mean (Student t), divided by the mean;
    /// infinite with fewer than two values or a non-positive mean.
    /// </summary>
    public double RelativeHalfWidth99()
    {
        if (Count < 2 || _mean <= 0)
        {
            return double.PositiveInfinity;
        }

        var standardError = Math.Sqrt(_squares / (Count - 1) / Count);
        return StudentT.Quantile995(Count - 1) * standardError / _mean;
    }
}

/// <summary>The 0.995 quantile of Student's t distribution (two-sided 99%).</summary>
internal static class StudentT
{
    // Exact table for small degrees of freedom, where the series below is poor.
    private static readonly double[] Table =
    [
        63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169,
        3.106, 3.055, 3.012, 2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845,
        2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.750,
    ];

    /// <summary>t such that P(T ≤ t) = 0.995 with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double Quantile995(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= Table.Length)
        {
            return Table[degreesOfFreedom - 1];
        }

        // Cornish–Fisher expansion around the normal quantile; within 0.001 of the exact value beyond 30.
        const double z = 2.5758293035489;
        double n = degreesOfFreedom;
        var z3 = z * z * z;
        var z5 = z3 * z * z;
        var z7 = z5 * z * z;
        return z
            + ((z3 + z) / (4 * n))
            + (((5 * z5) + (16 * z3) + (3 * z)) / (96 * n * n))
            + (((3 * z7) + (19 * z5) + (17 * z3) - (15 * z)) / (384 * n * n * n));
    }
}
