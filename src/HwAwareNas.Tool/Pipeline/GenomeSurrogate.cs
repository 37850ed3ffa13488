using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors;
using HwAwareNas.Search.Surrogates;
using HwAwareNas.Tool.Predictors;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>A search surrogate over one of the real genome predictors (ridge, mlp, gbdt, lut or auto).</summary>
internal sealed class GenomeSurrogate : ISurrogateModel
{
    private readonly ISearchSpace _space;
    private readonly string _predictorName;
    private GenomePredictor? _predictor;

    public GenomeSurrogate(ISearchSpace space, string predictorName)
    {
        _space = space;
        _predictorName = predictorName;
    }

    /// <inheritdoc />
    public void Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> values)
    {
        // A fresh predictor per fit: concurrent search refits on all data so far, never incrementally.
        _predictor?.Dispose();
        _predictor = null;
        var predictor = GenomePredictor.Create(_space, _predictorName, factory: PredictorComparison.CreateFactory());
        try
        {
            predictor.Fit(genomes, values);
        }
        catch
        {
            predictor.Dispose();
            throw;
        }

        _predictor = predictor;
    }

    /// <inheritdoc />
    public IReadOnlyList<double> Predict(IReadOnlyList<Genome> genomes) => Fitted.Predict(genomes);

    /// <inheritdoc />
    public IReadOnlyList<double> PredictStandardDeviation(IReadOnlyList<Genome> genomes) =>
        [.. Fitted.PredictWithUncertainty(genomes).Select(p => p.StdDev)];

    /// <inheritdoc />
    public void Dispose()
    {
        _predictor?.Dispose();
        _predictor = null;
    }

    private GenomePredictor Fitted => _predictor ?? throw new InvalidOperationException("Fit the surrogate before predicting.");
}
