using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors;
using HwAwareNas.Search.Surrogates;
using HwAwareNas.Tool.Predictors;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// A search surrogate over one of the real genome predictors (ridge, mlp, gbdt, ridge-gbdt, lut or auto), or over any predictor a
/// fit function builds (e.g. a stored one refitted with the search's measurements).
/// </summary>
internal sealed class GenomeSurrogate : ISurrogateModel
{
    private readonly Func<IReadOnlyList<Genome>, IReadOnlyList<double>, GenomePredictor> _fit;
    private GenomePredictor? _predictor;

    /// <summary>A fresh <paramref name="predictorName"/> predictor per fit.</summary>
    public GenomeSurrogate(ISearchSpace space, string predictorName)
        : this((genomes, values) => FitNew(
            GenomePredictor.Create(space, predictorName, options: new HwAwareNas.Predictors.PredictorOptions { CrossValidate = NeedsCrossValidation(predictorName) }, factory: PredictorComparison.CreateFactory()),
            genomes,
            values))
    {
    }

    /// <summary>A surrogate whose every fit is <paramref name="fit"/>: it returns a fitted predictor this surrogate then owns.</summary>
    public GenomeSurrogate(Func<IReadOnlyList<Genome>, IReadOnlyList<double>, GenomePredictor> fit) => _fit = fit;

    /// <inheritdoc />
    public void Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> values)
    {
        // A fresh predictor per fit: concurrent search refits on all data so far, never incrementally; the old one may
        // hold native memory.
        Dispose();
        _predictor = _fit(genomes, values);
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

    // The search reads a surrogate's cross-validated error only as the uncertainty of a model without a spread of its
    // own; ridge-gbdt has one (its ridge part's), and cross-validating it would fit its trees five more times per round.
    private static bool NeedsCrossValidation(string predictorName) =>
        !string.Equals(predictorName, ConfigChoices.Format(PredictorKind.RidgeGbdt), StringComparison.OrdinalIgnoreCase);

    /// <summary>Fits <paramref name="predictor"/> and returns it; disposes it when the fit fails.</summary>
    internal static GenomePredictor FitNew(GenomePredictor predictor, IReadOnlyList<Genome> genomes, IReadOnlyList<double> values)
    {
        try
        {
            predictor.Fit(genomes, values);
            return predictor;
        }
        catch
        {
            predictor.Dispose();
            throw;
        }
    }

    private GenomePredictor Fitted => _predictor ?? throw new InvalidOperationException("Fit the surrogate before predicting.");
}
