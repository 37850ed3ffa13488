using System.Globalization;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors.Lut;

/// <summary>
/// The classic additive lookup table: a baseline plus one delta per (gene, value) indicator, summed over what a
/// sub-network uses. Fitted by least squares on one-hot features (backfitting: each delta in turn becomes the mean
/// residual of the samples that use it). It cannot represent interactions, which is why Laube et al. found it the
/// weakest latency predictor; it is kept as the baseline the others must beat.
/// </summary>
internal sealed class LookupTablePredictor : PredictorBase
{
    /// <summary>The name this predictor is created and saved by.</summary>
    public const string PredictorName = "lut";

    private const string StateEntry = "lut.json";
    private const int Sweeps = 100;

    // Shrinks deltas of rarely seen entries towards zero, as if each entry had one extra sample at the baseline.
    private const double Shrinkage = 1.0;

    private double _baseline;
    private double[] _deltas = [];

    /// <summary>Creates an untrained lookup table.</summary>
    public LookupTablePredictor(PredictorOptions? options = null)
        : base(options ?? new PredictorOptions())
    {
    }

    /// <inheritdoc />
    public override string Name => PredictorName;

    /// <summary>The baseline every prediction starts from.</summary>
    public double Baseline => _baseline;

    /// <summary>The delta per feature (per (gene, value) indicator with the one-hot encoding).</summary>
    public IReadOnlyList<double> Deltas => _deltas;

    /// <summary>Restores a lookup table saved by <see cref="IPredictor.Save"/>.</summary>
    public static LookupTablePredictor Load(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var state = archive.ReadJson<LutState>(StateEntry);
        var predictor = new LookupTablePredictor(archive.Options) { _baseline = state.Baseline, _deltas = state.Deltas };
        predictor.RestoreMetadata(archive.Metadata);
        return predictor;
    }

    /// <inheritdoc />
    protected override IPredictor CreateUntrained(PredictorOptions options) => new LookupTablePredictor(options);

    /// <inheritdoc />
    protected override PredictionQuality? FitCore(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        var n = features.Count;
        var p = features[0].Length;
        _baseline = targets.Average();
        _deltas = new double[p];
        var residuals = targets.Select(t => t - _baseline).ToArray();
        var energy = new double[p];
        foreach (var f in features)
        {
            for (var j = 0; j < p; j++)
            {
                energy[j] += f[j] * f[j];
            }
        }

        for (var sweep = 0; sweep < Sweeps; sweep++)
        {
            var change = 0.0;
            for (var j = 0; j < p; j++)
            {
                if (energy[j] == 0)
                {
                    continue;
                }

                double correlation = 0;
                for (var i = 0; i < n; i++)
                {
                    correlation += features[i][j] * (residuals[i] + (_deltas[j] * features[i][j]));
                }

                var updated = correlation / (energy[j] + Shrinkage);
                var step = updated - _deltas[j];
                if (step == 0)
                {
                    continue;
                }

                for (var i = 0; i < n; i++)
                {
                    residuals[i] -= step * features[i][j];
                }

                _deltas[j] = updated;
                change = Math.Max(change, Math.Abs(step));
            }

            if (change < 1e-9 * (1 + Math.Abs(_baseline)))
            {
                break;
            }
        }

        return null;
    }

    /// <inheritdoc />
    protected override double[] PredictCore(IReadOnlyList<float[]> features) =>
        [.. features.Select(f => _baseline + f.Select((x, j) => x * _deltas[j]).Sum())];

    /// <inheritdoc />
    protected override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"baseline={_baseline:G6}, entries={_deltas.Count(d => d != 0)}");

    /// <inheritdoc />
    protected override void WriteState(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        archive.WriteJson(StateEntry, new LutState(_baseline, _deltas));
    }

    private sealed record LutState(double Baseline, double[] Deltas);
}
