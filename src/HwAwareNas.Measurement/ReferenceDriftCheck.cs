using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Measurement;

/// <summary>
/// Re-measures fixed reference models and compares each with its first measurement (ESM): when one moved by more
/// than the allowed relative variance, the device's state changed (thermal throttling, a noisy neighbour), and the
/// measurements taken since the last passing check cannot be trusted.
/// </summary>
internal sealed class ReferenceDriftCheck(
    IReadOnlyList<ProfileRequest> references,
    double maxVariance,
    LatencyStatistic statistic,
    Func<ProfileRequest, CancellationToken, EngineResult> measure,
    Func<ProfileRequest, MeasurementStatistics?> storedBaseline,
    Action<ProfileRequest, EngineResult> saveBaseline)
{
    private readonly Dictionary<string, double> _baselines = new(StringComparer.Ordinal);

    /// <summary>Whether any reference models are configured.</summary>
    public bool Enabled => references.Count > 0;

    /// <summary>Number of checks that found drift.</summary>
    public int FailedChecks { get; private set; }

    /// <summary>Establishes each reference's baseline: the stored first measurement, or a new one that is saved.</summary>
    public void EnsureBaselines(CancellationToken cancellationToken)
    {
        foreach (var reference in references)
        {
            if (_baselines.ContainsKey(reference.GenomeKey))
            {
                continue;
            }

            var baseline = storedBaseline(reference);
            if (baseline is null)
            {
                var first = measure(reference, cancellationToken);
                saveBaseline(reference, first);
                baseline = first.Statistics;
            }

            _baselines[reference.GenomeKey] = baseline.Figure(statistic);
        }
    }

    /// <summary>Re-measures every reference; true when all stay within the allowed variance of their baseline.</summary>
    public bool Passes(CancellationToken cancellationToken)
    {
        EnsureBaselines(cancellationToken);
        var passes = true;
        foreach (var reference in references)
        {
            var baseline = _baselines[reference.GenomeKey];
            var now = measure(reference, cancellationToken).Statistics.Figure(statistic);
            if (Math.Abs(now - baseline) > maxVariance * baseline)
            {
                passes = false;
            }
        }

        if (!passes)
        {
            FailedChecks++;
        }

        return passes;
    }
}
