using System.Globalization;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors.Ridge;

/// <summary>
/// Ridge regression by closed-form normal equations on z-normalised features and targets (the intercept is the
/// target mean), with α chosen by k-fold cross-validation over <see cref="AlphaGrid"/>. The predictor DyNAS-T uses
/// and Laube et al. recommend for small data. Uncertainty is the spread of a bootstrap ensemble at the chosen α.
/// </summary>
internal sealed class RidgePredictor : PredictorBase
{
    /// <summary>The name this predictor is created and saved by.</summary>
    public const string PredictorName = "ridge";

    private const string StateEntry = "ridge.json";

    private RidgeModel? _model;
    private RidgeModel[] _ensemble = [];
    private double _alpha;

    /// <summary>Creates an untrained ridge predictor.</summary>
    public RidgePredictor(PredictorOptions? options = null)
        : base(options ?? new PredictorOptions())
    {
    }

    /// <summary>The α values cross-validation chooses from (regularisation per sample on normalised features).</summary>
    public static IReadOnlyList<double> AlphaGrid { get; } = [1e-4, 1e-3, 1e-2, 0.1, 1, 10, 100];

    /// <inheritdoc />
    public override string Name => PredictorName;

    /// <summary>The α cross-validation chose.</summary>
    public double Alpha => _alpha;

    /// <summary>Restores a predictor saved by <see cref="IPredictor.Save"/>.</summary>
    public static RidgePredictor Load(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var state = archive.ReadJson<RidgeState>(StateEntry);
        var predictor = new RidgePredictor(archive.Options)
        {
            _model = state.Model,
            _ensemble = state.Ensemble,
            _alpha = state.Alpha,
        };
        predictor.RestoreMetadata(archive.Metadata);
        return predictor;
    }

    /// <inheritdoc />
    protected override IPredictor CreateUntrained(PredictorOptions options) => new RidgePredictor(options);

    /// <inheritdoc />
    protected override PredictionQuality? FitCore(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        var all = Enumerable.Range(0, features.Count).ToArray();
        PredictionQuality? quality = null;
        _alpha = 1;
        if (features.Count >= 4)
        {
            (_alpha, var outOfFold) = ChooseAlpha(features, targets);
            quality = QualityMetrics.Evaluate(targets, outOfFold);
        }

        _model = new RidgeSystem(features, targets, all).Solve(_alpha);
        var random = new Random(Options.Seed);
        _ensemble = new RidgeModel[features.Count >= 2 ? Options.EnsembleSize : 0];
        for (var e = 0; e < _ensemble.Length; e++)
        {
            var sample = all.Select(_ => all[random.Next(all.Length)]).ToArray();
            _ensemble[e] = new RidgeSystem(features, targets, sample).Solve(_alpha);
        }

        return quality;
    }

    /// <inheritdoc />
    protected override double[] PredictCore(IReadOnlyList<float[]> features) =>
        [.. features.Select(_model!.Predict)];

    /// <inheritdoc />
    protected override double[]? PredictSpreadCore(IReadOnlyList<float[]> features)
    {
        if (_ensemble.Length < 2)
        {
            return null;
        }

        return [.. features.Select(f =>
        {
            var values = _ensemble.Select(m => m.Predict(f)).ToArray();
            var mean = values.Average();
            return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        })];
    }

    /// <inheritdoc />
    protected override string Describe() => string.Create(CultureInfo.InvariantCulture, $"alpha={_alpha}");

    /// <inheritdoc />
    protected override void WriteState(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        archive.WriteJson(StateEntry, new RidgeState(_alpha, _model!, _ensemble));
    }

    private (double Alpha, double[] OutOfFold) ChooseAlpha(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        var assignment = CrossValidation.AssignFolds(features.Count, Options.Folds, Options.Seed);
        var predictions = new double[AlphaGrid.Count][];
        for (var a = 0; a < AlphaGrid.Count; a++)
        {
            predictions[a] = new double[features.Count];
        }

        foreach (var fold in assignment.Distinct())
        {
            var train = Enumerable.Range(0, features.Count).Where(i => assignment[i] != fold).ToArray();
            var test = Enumerable.Range(0, features.Count).Where(i => assignment[i] == fold).ToArray();
            var system = new RidgeSystem(features, targets, train);
            for (var a = 0; a < AlphaGrid.Count; a++)
            {
                var model = system.Solve(AlphaGrid[a]);
                foreach (var t in test)
                {
                    predictions[a][t] = model.Predict(features[t]);
                }
            }
        }

        var best = Enumerable.Range(0, AlphaGrid.Count)
            .MinBy(a => predictions[a].Select((p, i) => (p - targets[i]) * (p - targets[i])).Sum());
        return (AlphaGrid[best], predictions[best]);
    }

    private sealed record RidgeState(double Alpha, RidgeModel Model, RidgeModel[] Ensemble);
}
