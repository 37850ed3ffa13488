using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>Role: recombine two parents into two offspring.</summary>
internal interface ICrossover
{
    /// <summary>Two offspring of <paramref name="first"/> and <paramref name="second"/> (copies when no crossover happens).</summary>
    (Genome First, Genome Second) Cross(Genome first, Genome second, Random random);
}
