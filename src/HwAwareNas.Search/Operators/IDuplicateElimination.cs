using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>Role: drop offspring that repeat each other or genomes already present.</summary>
internal interface IDuplicateElimination
{
    /// <summary>
    /// The offspring, in order, without those equivalent to an earlier offspring or to any of
    /// <paramref name="existing"/>.
    /// </summary>
    IReadOnlyList<Genome> Eliminate(ISearchSpace space, IReadOnlyList<Genome> offspring, IEnumerable<Genome> existing);
}
