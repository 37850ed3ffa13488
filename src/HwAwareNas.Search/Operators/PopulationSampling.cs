using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>
/// Warm start: the initial population is the given genomes (e.g. the best population of an earlier run, or OFA-
/// notation genomes from a file). With more genomes than asked for, the first ones are used; with fewer, the rest
/// is filled by <see cref="IntegerRandomSampling"/> so the population keeps its size.
/// </summary>
internal sealed class PopulationSampling : ISampling
{
    private readonly IReadOnlyList<Genome> _genomes;
    private readonly IntegerRandomSampling _fill = new();

    /// <summary>Creates a sampling that starts from <paramref name="genomes"/>.</summary>
    public PopulationSampling(IReadOnlyList<Genome> genomes)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        _genomes = genomes;
    }

    /// <inheritdoc />
    public IReadOnlyList<Genome> Sample(ISearchSpace space, int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(space);
        foreach (var genome in _genomes)
        {
            space.Validate(genome);
        }

        var taken = _genomes.Take(count).ToList();
        taken.AddRange(_fill.Sample(space, count - taken.Count, random));
        return taken;
    }
}
