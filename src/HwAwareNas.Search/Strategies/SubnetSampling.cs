namespace HwAwareNas.Search.Strategies;

/// <summary>How a strategy draws the sub-networks it measures without a surrogate's proposal.</summary>
public enum SubnetSampling
{
    /// <summary>
    /// Balanced across total-depth bins (ESM): each draw goes to the bin least represented so far, since uniform draws
    /// of a deep space crowd the middle depths and leave the surrogates blind at the front's shallow and deep ends.
    /// </summary>
    Balanced,

    /// <summary>Uniformly random genes (DyNAS-T's sampling; the baseline benchmarks compare against).</summary>
    Random,
}
