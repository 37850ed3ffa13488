using System.Globalization;
using HwAwareNas.Predictors.Gbdt;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Predictors.Ridge;

namespace HwAwareNas.Predictors.RidgeGbdt;

/// <summary>
/// Ridge regression with gradient-boosted trees fitted on its residuals: ridge carries the (nearly) additive part
/// that a few dozen samples already pin down, the trees the interactions between genes that only more samples
/// reveal. Below <see cref="MinimumForTrees"/> samples it is ridge alone. The uncertainty is ridge's bootstrap spread.
/// </summary>
internal sealed class RidgeGbdtPredictor : PredictorBase
{
    /// <summary>The name this predictor is created and saved by.</summary>
    public const string PredictorName = "ridge-gbdt";

    /// <summary>Fewest samples the trees are fitted on; fewer leave ridge's residuals to noise.</summary>
    public const int MinimumForTrees = 30;

    private const string RidgeEntry = "ridge.zip";
    private const string TreesEntry = "trees.zip";

    private RidgePredictor? _ridge;
    private GbdtPredictor? _trees;

    /// <summary>Creates an untrained predictor.</summary>
    public RidgeGbdtPredictor(PredictorOptions? options = null)
        : base(options ?? new PredictorOptions())
    {
    }

    /// <inheritdoc />
    public override string Name => PredictorName;

    /// <summary>Whether the trees were fitted (enough samples).</summary>
    public bool HasTrees => _trees is not null;

    /// <summary>Restores a predictor saved by <see cref="IPredictor.Save"/>.</summary>
    public static RidgeGbdtPredictor Load(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var predictor = new RidgeGbdtPredictor(archive.Options) { _ridge = (RidgePredictor)LoadPart(archive, RidgeEntry, RidgePredictor.Load) };
        if (archive.Has(TreesEntry))
        {
            predictor._trees = (GbdtPredictor)LoadPart(archive, TreesEntry, GbdtPredictor.Load);
        }

        predictor.RestoreMetadata(archive.Metadata);
        return predictor;
    }

    /// <inheritdoc />
    protected override IPredictor CreateUntrained(PredictorOptions options) => new RidgeGbdtPredictor(options);

    /// <inheritdoc />
    protected override PredictionQuality? FitCore(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        Dispose(disposing: true);
        var ridge = new RidgePredictor(Options);
        ridge.Fit(features, targets);
        _ridge = ridge;
        if (features.Count >= MinimumForTrees)
        {
            var fitted = ridge.Predict(features);
            // The trees' own cross-validation would fit them five more times; the metadata's comes from the whole model.
            _trees = new GbdtPredictor(Options with { CrossValidate = false });
            _trees.Fit(features, [.. targets.Select((t, i) => t - fitted[i])]);
        }

        return null;
    }

    /// <inheritdoc />
    protected override double[] PredictCore(IReadOnlyList<float[]> features)
    {
        var predictions = _ridge!.Predict(features);
        if (_trees is not null)
        {
            var residuals = _trees.Predict(features);
            for (var i = 0; i < predictions.Length; i++)
            {
                predictions[i] += residuals[i];
            }
        }

        return predictions;
    }

    /// <inheritdoc />
    protected override double[]? PredictSpreadCore(IReadOnlyList<float[]> features) =>
        [.. _ridge!.PredictWithUncertainty(features).Select(p => p.StdDev)];

    /// <inheritdoc />
    protected override string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"ridge ({_ridge!.Metadata.Details}){(_trees is null ? $"; no trees below {MinimumForTrees} samples" : $" + gbdt on its residuals ({_trees.Metadata.Details})")}");

    /// <inheritdoc />
    protected override void WriteState(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        WritePart(archive, RidgeEntry, _ridge!);
        if (_trees is not null)
        {
            WritePart(archive, TreesEntry, _trees);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ridge?.Dispose();
            _trees?.Dispose();
            _ridge = null;
            _trees = null;
        }

        base.Dispose(disposing);
    }

    private static void WritePart(PredictorArchive archive, string entry, IPredictor part)
    {
        using var stream = new MemoryStream();
        part.Save(stream);
        archive.WriteBytes(entry, stream.ToArray());
    }

    private static IPredictor LoadPart(PredictorArchive archive, string entry, Func<PredictorArchive, IPredictor> load)
    {
        using var stream = new MemoryStream(archive.ReadBytes(entry));
        using var part = PredictorArchive.Open(stream);
        return load(part);
    }
}
