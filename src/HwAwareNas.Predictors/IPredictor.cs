namespace HwAwareNas.Predictors;

/// <summary>
/// A regression model from feature vectors (see <see cref="Encodings.IGenomeEncoding"/>) to one metric such as
/// latency or accuracy. <see cref="GenomePredictor"/> pairs one with an encoding to work on genomes.
/// Disposable because a predictor may hold native memory (the TorchSharp MLP's module); whoever creates or loads
/// one disposes it, and a predictor that owns another (auto's chosen model) disposes that too.
/// </summary>
public interface IPredictor : IDisposable
{
    /// <summary>The name the predictor is created, saved and loaded by, e.g. <c>ridge</c>.</summary>
    string Name { get; }

    /// <summary>The settings the predictor was created with.</summary>
    PredictorOptions Options { get; }

    /// <summary>Whether <see cref="Fit"/> has run (or the predictor was loaded).</summary>
    bool IsFitted { get; }

    /// <summary>What was fitted, on how much data, and how well it cross-validated; throws before fitting.</summary>
    PredictorMetadata Metadata { get; }

    /// <summary>Trains on <paramref name="features"/> (one vector per sample, equal lengths) and their targets.</summary>
    void Fit(IReadOnlyList<float[]> features, IReadOnlyList<double> targets);

    /// <summary>Predicts the metric of every feature vector.</summary>
    double[] Predict(IReadOnlyList<float[]> features);

    /// <summary>
    /// Predicts with a standard deviation: the spread of an ensemble where the predictor has one, otherwise the
    /// cross-validated RMSE, or NaN where neither is known.
    /// </summary>
    Prediction[] PredictWithUncertainty(IReadOnlyList<float[]> features);

    /// <summary>Writes the fitted predictor (a zip of JSON entries; see <see cref="PredictorArchive"/>).</summary>
    void Save(Stream stream);
}

/// <summary>A predicted value and its standard deviation (NaN when unknown).</summary>
/// <param name="Value">The predicted value.</param>
/// <param name="StdDev">The estimated standard deviation of the prediction.</param>
public readonly record struct Prediction(double Value, double StdDev);
