using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>
/// Duplicates judged on <see cref="ISearchSpace.Canonicalize"/>: two genomes that differ only in genes a shallower
/// depth leaves unused build the same network and count as one (as in DyNAS-T).
/// </summary>
internal sealed class CanonicalDuplicateElimination : IDuplicateElimination
{
    /// <inheritdoc />
    public IReadOnlyList<Genome> Eliminate(ISearchSpace space, IReadOnlyList<Genome> offspring, IEnumerable<Genome> existing)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(offspring);
        ArgumentNullException.ThrowIfNull(existing);
        var seen = existing.Select(space.Canonicalize).ToHashSet();
        return [.. offspring.Where(g => seen.Add(space.Canonicalize(g)))];
    }
}
