namespace HwAwareNas.Predictors;

/// <summary>Settings every predictor accepts.</summary>
public sealed record PredictorOptions
{
    /// <summary>The name of the encoding the features come from; recorded in the metadata and saved files.</summary>
    public string Encoding { get; init; } = string.Empty;

    /// <summary>Seed for every random choice (folds, bootstrap samples, tree and weight initialisation).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of folds for cross-validation (model selection and the metadata's metrics).</summary>
    public int Folds { get; init; } = 5;

    /// <summary>
    /// Whether <see cref="IPredictor.Fit"/> also cross-validates to fill <see cref="PredictorMetadata.CrossValidation"/>
    /// (ridge does so at no extra cost; other predictors fit once more per fold).
    /// </summary>
    public bool CrossValidate { get; init; } = true;

    /// <summary>Size of the bootstrap ensemble ridge uses for its uncertainty (0 for none).</summary>
    public int EnsembleSize { get; init; } = 8;
}
