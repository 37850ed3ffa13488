using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Surrogates;

/// <summary>
/// A predictor of one objective from the genome (ridge, MLP, LightGBM... live in HwAwareNas.Predictors and plug in
/// through this interface). Fit may be called again with more data; it then replaces what was learned. Disposable
/// because a fitted model may hold native memory (the TorchSharp MLP); <see cref="SurrogateEvaluator"/> disposes
/// the models it fits.
/// </summary>
public interface ISurrogateModel : IDisposable
{
    /// <summary>Learns <paramref name="values"/> (one per genome) from <paramref name="genomes"/>.</summary>
    void Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> values);

    /// <summary>Predicts one value per genome, in order.</summary>
    IReadOnlyList<double> Predict(IReadOnlyList<Genome> genomes);

    /// <summary>
    /// The standard deviation of each prediction, in order (an ensemble's spread or the cross-validated error); NaN
    /// where the model cannot tell.
    /// </summary>
    IReadOnlyList<double> PredictStandardDeviation(IReadOnlyList<Genome> genomes);
}
