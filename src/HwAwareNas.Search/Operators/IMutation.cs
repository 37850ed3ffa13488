using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>Role: perturb an offspring genome.</summary>
internal interface IMutation
{
    /// <summary>A mutated copy of <paramref name="genome"/> (the same genome when nothing mutated).</summary>
    Genome Mutate(ISearchSpace space, Genome genome, Random random);
}
