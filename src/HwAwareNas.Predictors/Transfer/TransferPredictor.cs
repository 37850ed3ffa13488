using System.Globalization;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Predictors.Ridge;

namespace HwAwareNas.Predictors.Transfer;

/// <summary>
/// A latency predictor for a new device from a predictor fitted on another device and a few samples of the new one
/// (few-shot transfer, as HELP and MAPLE-Edge do): in log space, target ≈ a · source + b (the device pair's scale and,
/// with enough samples, how differently they treat large and small sub-networks), plus, once there are
/// <see cref="MinimumSamplesForResidual"/> samples, a strongly regularised ridge over the genome features for what the
/// source device does not share with the target. Which mapping and which residual α (or none) is chosen by
/// leave-one-out cross-validation on the target samples (k-fold above <see cref="MaximumLeaveOneOut"/> samples), so
/// more target data buys a more flexible model only where it predicts better. Owns its source predictor.
/// </summary>
internal sealed class TransferPredictor : PredictorBase
{
    /// <summary>The name this predictor is saved by (it is made from a fitted source, never by name alone).</summary>
    public const string PredictorName = "transfer";

    /// <summary>Fewest target samples for which a residual model is considered.</summary>
    public const int MinimumSamplesForResidual = 8;

    /// <summary>Most target samples for which the choice is made by leave-one-out; above, by k-fold.</summary>
    public const int MaximumLeaveOneOut = 40;

    private const string SourceEntry = "source.zip";
    private const string StateEntry = "transfer.json";

    // Power-law exponents outside this range mean the devices do not rank sub-networks alike; the fit is clamped to it.
    private const double MinimumSlope = 0.25;
    private const double MaximumSlope = 4;

    private readonly PredictorFactory _factory;
    private readonly IPredictor _source;
    private TransferState? _state;

    /// <summary>Creates an untrained transfer predictor over <paramref name="source"/>, which it takes ownership of.</summary>
    /// <param name="source">A predictor fitted on the source device, on features of the encoding this predictor gets.</param>
    /// <param name="factory">Loads the source back from a saved transfer predictor, and copies it for cross-validation.</param>
    /// <param name="options">Seed and folds; the encoding is the source's.</param>
    public TransferPredictor(IPredictor source, PredictorFactory factory, PredictorOptions? options = null)
        : base((options ?? new PredictorOptions()) with { Encoding = CheckSource(source).Options.Encoding })
    {
        ArgumentNullException.ThrowIfNull(factory);
        _source = source;
        _factory = factory;
    }

    /// <summary>The α values the residual ridge is chosen from (large: the residual must earn its place).</summary>
    public static IReadOnlyList<double> ResidualAlphaGrid { get; } = [0.1, 1, 10, 100];

    /// <inheritdoc />
    public override string Name => PredictorName;

    /// <summary>The source device's predictor.</summary>
    public IPredictor Source => _source;

    /// <summary>The fitted mapping and residual (null before fitting).</summary>
    public TransferState? State => _state;

    /// <summary>Restores a transfer predictor saved by <see cref="IPredictor.Save"/>, loading its source with <paramref name="factory"/>.</summary>
    public static TransferPredictor Load(PredictorArchive archive, PredictorFactory factory)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(factory);
        using var source = new MemoryStream(archive.ReadBytes(SourceEntry));
        var predictor = new TransferPredictor(factory.Load(source), factory, archive.Options)
        {
            _state = archive.ReadJson<TransferState>(StateEntry),
        };
        predictor.RestoreMetadata(archive.Metadata);
        return predictor;
    }

    /// <inheritdoc />
    protected override IPredictor CreateUntrained(PredictorOptions options) => new TransferPredictor(CopySource(), _factory, options);

    /// <inheritdoc />
    protected override PredictionQuality? FitCore(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        if (targets.Any(t => t <= 0))
        {
            throw new ArgumentException("Transfer works on latencies, which must be positive.", nameof(targets));
        }

        var source = _source.Predict(features);
        var floor = SourceFloor(source);
        var x = source.Select(s => Math.Log(Math.Max(s, floor))).ToArray();
        var y = targets.Select(t => Math.Log(t)).ToArray();
        var candidates = Candidates(features.Count);
        PredictionQuality? quality = null;
        var chosen = candidates[0];
        if (features.Count >= 2)
        {
            var folds = features.Count <= MaximumLeaveOneOut ? features.Count : Options.Folds;
            var outOfFold = PredictOutOfFold(features, x, y, candidates, CrossValidation.AssignFolds(features.Count, folds, Options.Seed));
            var errors = outOfFold.Select(p => p.Select((v, i) => (v - y[i]) * (v - y[i])).Sum()).ToArray();

            // Candidates run from the simplest; a more flexible one must predict strictly better.
            var best = 0;
            for (var c = 1; c < candidates.Count; c++)
            {
                if (errors[c] < errors[best])
                {
                    best = c;
                }
            }

            chosen = candidates[best];
            quality = QualityMetrics.Evaluate(targets, [.. outOfFold[best].Select(Math.Exp)]);
        }

        var all = Enumerable.Range(0, features.Count).ToArray();
        var (slope, intercept) = FitMapping(chosen.PowerLaw, x, y, all);
        var residual = chosen.Alpha is { } alpha
            ? new RidgeSystem(features, [.. y.Select((v, i) => v - (slope * x[i]) - intercept)], all).Solve(alpha)
            : null;
        _state = new TransferState(chosen.PowerLaw, slope, intercept, floor, chosen.Alpha, residual);
        return quality;
    }

    /// <inheritdoc />
    protected override double[] PredictCore(IReadOnlyList<float[]> features)
    {
        var state = _state!;
        var source = _source.Predict(features);
        return [.. features.Select((f, i) =>
        {
            var log = (state.Slope * Math.Log(Math.Max(source[i], state.SourceFloor))) + state.Intercept;
            return Math.Exp(log + (state.Residual?.Predict(f) ?? 0));
        })];
    }

    /// <inheritdoc />
    protected override string Describe()
    {
        var state = _state!;
        var mapping = state.PowerLaw
            ? string.Create(CultureInfo.InvariantCulture, $"target = {Math.Exp(state.Intercept):G4} * source^{state.Slope:G4}")
            : string.Create(CultureInfo.InvariantCulture, $"target = {Math.Exp(state.Intercept):G4} * source");
        var residual = state.ResidualAlpha is { } alpha
            ? string.Create(CultureInfo.InvariantCulture, $"ridge residual alpha={alpha}")
            : "no residual";
        return $"{mapping}, {residual}; source {_source.Name} ({_source.Metadata.Encoding}, {_source.Metadata.TrainingSize} samples)";
    }

    /// <inheritdoc />
    protected override void WriteState(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        using var source = new MemoryStream();
        _source.Save(source);
        archive.WriteBytes(SourceEntry, source.ToArray());
        archive.WriteJson(StateEntry, _state!);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _source.Dispose();
        }

        base.Dispose(disposing);
    }

    private static IPredictor CheckSource(IPredictor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.IsFitted)
        {
            throw new ArgumentException("The source predictor must be fitted on the source device first.", nameof(source));
        }

        return source;
    }

    // Where the source predicts zero or less (a linear model far outside its data), its log is taken at a floor far below
    // what it predicts elsewhere, so the point sorts first without dragging the fitted mapping.
    private static double SourceFloor(double[] source)
    {
        var positive = source.Where(s => s > 0).Order().ToArray();
        return positive.Length == 0 ? 1e-6 : 1e-3 * positive[positive.Length / 2];
    }

    private static List<Candidate> Candidates(int count)
    {
        // The ratio alone needs one sample; an exponent needs a spread of at least three; a residual, several per bin.
        var mappings = count >= 3 ? new[] { false, true } : [false];
        var candidates = mappings.Select(m => new Candidate(m, null)).ToList();
        if (count >= MinimumSamplesForResidual)
        {
            candidates.AddRange(from m in mappings from a in ResidualAlphaGrid.Reverse() select new Candidate(m, a));
        }

        return candidates;
    }

    private static (double Slope, double Intercept) FitMapping(bool powerLaw, double[] x, double[] y, IReadOnlyList<int> rows)
    {
        var mx = rows.Average(r => x[r]);
        var my = rows.Average(r => y[r]);
        var slope = 1.0;
        if (powerLaw)
        {
            double sxy = 0, sxx = 0;
            foreach (var r in rows)
            {
                sxy += (x[r] - mx) * (y[r] - my);
                sxx += (x[r] - mx) * (x[r] - mx);
            }

            slope = sxx > 1e-12 ? Math.Clamp(sxy / sxx, MinimumSlope, MaximumSlope) : 1;
        }

        return (slope, my - (slope * mx));
    }

    private static double[][] PredictOutOfFold(
        IReadOnlyList<float[]> features, double[] x, double[] y, List<Candidate> candidates, int[] assignment)
    {
        var predictions = candidates.Select(_ => new double[y.Length]).ToArray();
        foreach (var fold in assignment.Distinct())
        {
            var train = Enumerable.Range(0, y.Length).Where(i => assignment[i] != fold).ToArray();
            var test = Enumerable.Range(0, y.Length).Where(i => assignment[i] == fold).ToArray();
            foreach (var powerLaw in candidates.Select(c => c.PowerLaw).Distinct())
            {
                var (slope, intercept) = FitMapping(powerLaw, x, y, train);
                var residuals = y.Select((v, i) => v - (slope * x[i]) - intercept).ToArray();
                var system = candidates.Any(c => c.PowerLaw == powerLaw && c.Alpha is not null) && train.Length >= 2
                    ? new RidgeSystem(features, residuals, train)
                    : null;
                for (var c = 0; c < candidates.Count; c++)
                {
                    if (candidates[c].PowerLaw != powerLaw)
                    {
                        continue;
                    }

                    var model = candidates[c].Alpha is { } alpha ? system?.Solve(alpha) : null;
                    foreach (var t in test)
                    {
                        predictions[c][t] = (slope * x[t]) + intercept + (model?.Predict(features[t]) ?? 0);
                    }
                }
            }
        }

        return predictions;
    }

    private IPredictor CopySource()
    {
        using var copy = new MemoryStream();
        _source.Save(copy);
        copy.Position = 0;
        return _factory.Load(copy);
    }

    private sealed record Candidate(bool PowerLaw, double? Alpha);
}

/// <summary>A fitted transfer: log target = <see cref="Slope"/> · log source + <see cref="Intercept"/> + residual.</summary>
/// <param name="PowerLaw">Whether the exponent was fitted (otherwise 1: the devices differ by a factor).</param>
/// <param name="Slope">The exponent a.</param>
/// <param name="Intercept">The log of the factor, b.</param>
/// <param name="SourceFloor">Source predictions below it are taken at it (they are not positive, or nearly so).</param>
/// <param name="ResidualAlpha">The residual ridge's α, or null for no residual.</param>
/// <param name="Residual">The residual ridge over the genome features, in log space, or null.</param>
internal sealed record TransferState(
    bool PowerLaw, double Slope, double Intercept, double SourceFloor, double? ResidualAlpha, RidgeModel? Residual);
