namespace HwAwareNas.Search.Strategies;

/// <summary>How <see cref="ConcurrentSearch"/> chooses the sub-networks it measures each round.</summary>
public enum ConcurrentAcquisition
{
    /// <summary>DyNAS-T's Algorithm 1: the inner NSGA-II's final population, topped up with sampled sub-networks.</summary>
    Population,

    /// <summary>
    /// The batch with the largest expected hypervolume improvement over the measured front, from the predictors'
    /// means and uncertainty (<see cref="HypervolumeAcquisition"/>).
    /// </summary>
    ExpectedHypervolume,
}
