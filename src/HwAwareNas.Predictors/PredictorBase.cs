using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors;

/// <summary>
/// What every predictor shares: input checks, optional cross-validation for the metadata, residual-based
/// uncertainty, and the archive layout on save. Subclasses fit, predict and write their own state.
/// </summary>
public abstract class PredictorBase : IPredictor
{
    private PredictorMetadata? _metadata;

    /// <summary>Creates an untrained predictor.</summary>
    protected PredictorBase(PredictorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public PredictorOptions Options { get; }

    /// <inheritdoc />
    public bool IsFitted => _metadata is not null;

    /// <inheritdoc />
    public PredictorMetadata Metadata =>
        _metadata ?? throw new InvalidOperationException($"The {Name} predictor has not been fitted.");

    /// <inheritdoc />
    public void Fit(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        var featureCount = CheckTrainingData(features, targets);
        var quality = FitCore(features, targets);
        if (quality is null && Options.CrossValidate && features.Count >= 2 * Options.Folds)
        {
            var inner = Options with { CrossValidate = false };
            quality = CrossValidation.Evaluate(() => CreateUntrained(inner), features, targets, Options.Folds, Options.Seed);
        }

        _metadata = new PredictorMetadata(Name, Options.Encoding, features.Count, featureCount, quality, Describe());
    }

    /// <inheritdoc />
    public double[] Predict(IReadOnlyList<float[]> features)
    {
        CheckPredictionInput(features);
        return features.Count == 0 ? [] : PredictCore(features);
    }

    /// <inheritdoc />
    public Prediction[] PredictWithUncertainty(IReadOnlyList<float[]> features)
    {
        var values = Predict(features);
        var spread = features.Count == 0 ? [] : PredictSpreadCore(features);
        var residual = Metadata.CrossValidation?.Rmse ?? double.NaN;
        return [.. values.Select((v, i) => new Prediction(v, spread?[i] ?? residual))];
    }

    /// <inheritdoc />
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var archive = PredictorArchive.Create(stream, Metadata, Options);
        WriteState(archive);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the subclass holds; managed-only predictors have nothing to release.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>; false from a finalizer (none of ours has one).</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Creates an untrained predictor of the same kind (used for cross-validation folds).</summary>
    protected abstract IPredictor CreateUntrained(PredictorOptions options);

    /// <summary>
    /// Fits on checked data. Returns out-of-fold quality when fitting computed it anyway (as ridge's α search does),
    /// otherwise null and the base class cross-validates if <see cref="PredictorOptions.CrossValidate"/> is set.
    /// </summary>
    protected abstract PredictionQuality? FitCore(IReadOnlyList<float[]> features, IReadOnlyList<double> targets);

    /// <summary>Predicts a non-empty batch of checked feature vectors.</summary>
    protected abstract double[] PredictCore(IReadOnlyList<float[]> features);

    /// <summary>The per-prediction standard deviation where the model has its own (e.g. an ensemble), else null.</summary>
    protected virtual double[]? PredictSpreadCore(IReadOnlyList<float[]> features) => null;

    /// <summary>Fitted hyper-parameters in words, for <see cref="PredictorMetadata.Details"/>.</summary>
    protected abstract string Describe();

    /// <summary>Writes the fitted state into <paramref name="archive"/>.</summary>
    protected abstract void WriteState(PredictorArchive archive);

    /// <summary>Marks a predictor restored from an archive as fitted.</summary>
    protected void RestoreMetadata(PredictorMetadata metadata) => _metadata = metadata;

    private static int CheckTrainingData(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (features.Count != targets.Count)
        {
            throw new ArgumentException($"{features.Count} feature vectors but {targets.Count} targets.", nameof(targets));
        }

        if (features.Count == 0)
        {
            throw new ArgumentException("Cannot fit a predictor on no data.", nameof(features));
        }

        var length = features[0].Length;
        if (features.Any(f => f.Length != length))
        {
            throw new ArgumentException("Feature vectors differ in length.", nameof(features));
        }

        if (targets.Any(t => !double.IsFinite(t)))
        {
            throw new ArgumentException("Targets must be finite numbers.", nameof(targets));
        }

        return length;
    }

    private void CheckPredictionInput(IReadOnlyList<float[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var expected = Metadata.FeatureCount;
        if (features.Any(f => f.Length != expected))
        {
            throw new ArgumentException(
                $"The {Name} predictor was fitted on {expected} features; got a vector of another length.", nameof(features));
        }
    }
}
