using System.Globalization;
using HwAwareNas.Predictors.Metrics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace HwAwareNas.Predictors.Gbdt;

/// <summary>
/// Gradient-boosted regression trees (ML.NET FastTree). Trees capture interactions between genes that additive
/// models miss and fit in well under a second on NAS-sized data, the trade-off Laube et al. note for LightGBM.
/// </summary>
internal sealed class GbdtPredictor : PredictorBase
{
    /// <summary>The name this predictor is created and saved by.</summary>
    public const string PredictorName = "gbdt";

    private const string ModelEntry = "fasttree.zip";
    private const int Trees = 1000;
    private const int Leaves = 4;
    private const double LearningRate = 0.05;

    private readonly MLContext _ml;
    private ITransformer? _model;
    private int _minLeafSize;

    /// <summary>Creates an untrained GBDT predictor.</summary>
    public GbdtPredictor(PredictorOptions? options = null)
        : base(options ?? new PredictorOptions())
    {
        _ml = new MLContext(Options.Seed);
    }

    /// <inheritdoc />
    public override string Name => PredictorName;

    /// <summary>Restores a predictor saved by <see cref="IPredictor.Save"/>.</summary>
    public static GbdtPredictor Load(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        var predictor = new GbdtPredictor(archive.Options);
        using var model = new MemoryStream(archive.ReadBytes(ModelEntry));
        predictor._model = predictor._ml.Model.Load(model, out _);
        predictor.RestoreMetadata(archive.Metadata);
        return predictor;
    }

    /// <inheritdoc />
    protected override IPredictor CreateUntrained(PredictorOptions options) => new GbdtPredictor(options);

    /// <inheritdoc />
    protected override PredictionQuality? FitCore(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        // Small datasets need small leaves or the trees cannot split at all.
        _minLeafSize = Math.Clamp(features.Count / 25, 1, 10);
        var trainer = _ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            LabelColumnName = nameof(GbdtRow.Label),
            FeatureColumnName = nameof(GbdtRow.Features),
            NumberOfTrees = Trees,
            NumberOfLeaves = Leaves,
            MinimumExampleCountPerLeaf = _minLeafSize,
            LearningRate = LearningRate,
            NumberOfThreads = 1,
            Seed = Options.Seed,
        });
        _model = trainer.Fit(ToDataView(features, targets));
        return null;
    }

    /// <inheritdoc />
    protected override double[] PredictCore(IReadOnlyList<float[]> features)
    {
        var scored = _model!.Transform(ToDataView(features, null));
        return [.. scored.GetColumn<float>("Score").Select(s => (double)s)];
    }

    /// <inheritdoc />
    protected override string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"trees={Trees}, leaves={Leaves}, min_leaf={_minLeafSize}, lr={LearningRate}");

    /// <inheritdoc />
    protected override void WriteState(PredictorArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        using var model = new MemoryStream();
        _ml.Model.Save(_model!, ToDataView([new float[Metadata.FeatureCount]], null).Schema, model);
        archive.WriteBytes(ModelEntry, model.ToArray());
    }

    private IDataView ToDataView(IReadOnlyList<float[]> features, IReadOnlyList<double>? targets)
    {
        var schema = SchemaDefinition.Create(typeof(GbdtRow));
        schema[nameof(GbdtRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features[0].Length);
        var rows = features.Select((f, i) => new GbdtRow { Features = f, Label = targets is null ? 0f : (float)targets[i] });
        return _ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    private sealed class GbdtRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
