using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Datasets;

/// <summary>
/// Measures a metric of sub-networks for <see cref="EsmDatasetBuilder"/>: the live latency profiler behind the results
/// store in the product, a scripted function in tests.
/// </summary>
public interface IGenomeMeasurement
{
    /// <summary>Measures <paramref name="genomes"/>, returning one value per genome in order.</summary>
    Task<IReadOnlyList<double>> MeasureAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken);
}
