using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>Role: produce the initial population's genomes.</summary>
internal interface ISampling
{
    /// <summary>Returns <paramref name="count"/> genomes of <paramref name="space"/>.</summary>
    IReadOnlyList<Genome> Sample(ISearchSpace space, int count, Random random);
}
