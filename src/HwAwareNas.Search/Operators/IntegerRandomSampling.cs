using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>Every gene drawn uniformly from its choices; reproducible through the seeded <see cref="Random"/>.</summary>
internal sealed class IntegerRandomSampling : ISampling
{
    /// <inheritdoc />
    public IReadOnlyList<Genome> Sample(ISearchSpace space, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(random);
        return [.. Enumerable.Range(0, count).Select(_ => space.Sample(random))];
    }
}
