using System.Globalization;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Predictors.Ridge;

namespace HwAwareNas.Predictors.Auto;

/// <summary>
/// Cross-validates every other predictor the factory knows and keeps the one with the highest Kendall τ, refitted
/// on all data: which model wins depends on the data size and the device (Laube et al.), so the choice is measured.
/// </summary>
internal sealed class AutoPredictor : PredictorBase
{
    /// <summary>The name this predictor is created and saved by.</summary>
    public const string PredictorName = "auto";

    private const string ChosenEntry = "chosen.zip";
    private const int MinimumSamplesToCompare = 4;

    private readonly PredictorFactory _factory;
    private IPredictor? _chosen;
    private string _comparison = string.Empty;

    /// <summary>Creates an untrained auto predictor choosing among <paramref name="factory"/>'s other predictors.</summary>
    public AutoPredictor(PredictorFactory factory, PredictorOptions? options = null)
        : base(options ?? new PredictorOptions())
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    /// <inheritdoc />
    public override string Name => PredictorName;

    /// <summary>The predictor that won (null before fitting).</summary>
    public IPredictor? Chosen => _chosen;

    /// <summary>Restores an auto predictor saved by <see cref="IPredictor.Save"/>, loading its chosen model with <paramref name="factory"/>.</summary>
    public static AutoPredictor Load(PredictorArchive archive, PredictorFactory factory)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(factory);
        using var chosen = new MemoryStream(archive.ReadBytes(ChosenEntry));
        var predictor = new AutoPredictor(factory, archive.Options)
        {
            _chosen = factory.Load(chosen),
            _comparison = archive.Metadata.Details,
        };
        predictor.RestoreMetadata(archive.Metadata);
        return predictor;
    }

    /// <inheritdoc />
    protected override IPredictor CreateUntrained(PredictorOptions options) => new AutoPredictor(_factory, options);

    /// <inheritdoc />
    protected override PredictionQuality? FitCore(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        var inner = Options with { CrossValidate = false };
        var candidates = _factory.Names.Where(n => !string.Equals(n, PredictorName, StringComparison.OrdinalIgnoreCase)).ToList();
        // A refit replaces the chosen model, which may hold native memory.
        _chosen?.Dispose();
        _chosen = null;
        if (features.Count < MinimumSamplesToCompare || candidates.Count == 0)
        {
            _chosen = new RidgePredictor(inner);
            _chosen.Fit(features, targets);
            _comparison = "chose ridge (too few samples to compare)";
            return null;
        }

        var results = candidates
            .Select(name => (Name: name, Quality: CrossValidation.Evaluate(
                () => _factory.Create(name, inner), features, targets, Options.Folds, Options.Seed)))
            .ToList();
        var best = results.MaxBy(r => r.Quality.KendallTau);
        _chosen = _factory.Create(best.Name, inner);
        _chosen.Fit(features, targets);
        _comparison = $"chose {best.Name}; cross-validated tau: " + string.Join(", ", results.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"{r.Name}={r.Quality.KendallTau:F3}")));
        return best.Quality;
    }

    /// <inheritdoc />
    protected override double[] PredictCore(IReadOnlyList<float[]> features) => _chosen!.Predict(features);

    /// <inheritdoc />
    protected override double[]? PredictSpreadCore(IReadOnlyList<float[]> features)
    {
        var spread = _chosen!.PredictWithUncertainty(features).Select(p => p.StdDev).ToArray();
        return spread.Any(double.IsNaN) ? null : spread;
    }

    /// <inheritdoc />
    protected override string Describe() => _comparison;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chosen?.Dispose();
            _chosen = null;
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override void WriteState(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        using var chosen = new MemoryStream();
        _chosen!.Save(chosen);
        archive.WriteBytes(ChosenEntry, chosen.ToArray());
    }
}
