using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Surrogates;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>Charges a surrogate's fits to the Fit stage; its predictions stay part of the search that asks for them.</summary>
internal sealed class TimedSurrogate(ISurrogateModel inner, StageClock clock) : ISurrogateModel
{
    /// <inheritdoc />
    public void Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> values)
    {
        using (clock.Enter(PipelineStages.Fit))
        {
            inner.Fit(genomes, values);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<double> Predict(IReadOnlyList<Genome> genomes) => inner.Predict(genomes);

    /// <inheritdoc />
    public IReadOnlyList<double> PredictStandardDeviation(IReadOnlyList<Genome> genomes) => inner.PredictStandardDeviation(genomes);

    /// <inheritdoc />
    public void Dispose() => inner.Dispose();
}
