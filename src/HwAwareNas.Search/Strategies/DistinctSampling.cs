using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Operators;

namespace HwAwareNas.Search.Strategies;

/// <summary>Random genomes that build distinct networks (distinct canonical genomes).</summary>
internal static class DistinctSampling
{
    private const int MaxRounds = 100;

    /// <summary>
    /// Up to <paramref name="count"/> distinct random genomes, none equivalent to any of <paramref name="exclude"/>
    /// (fewer only when the space is nearly exhausted).
    /// </summary>
    public static List<Genome> Sample(ISearchSpace space, int count, Random random, IReadOnlyList<Genome>? exclude = null)
    {
        var sampling = new IntegerRandomSampling();
        var dedupe = new CanonicalDuplicateElimination();
        var genomes = new List<Genome>();
        for (var round = 0; round < MaxRounds && genomes.Count < count; round++)
        {
            var sampled = sampling.Sample(space, count - genomes.Count, random);
            genomes.AddRange(dedupe.Eliminate(space, sampled, genomes.Concat(exclude ?? [])));
        }

        return genomes;
    }

    /// <summary>
    /// An initial population: the space's largest and smallest sub-networks, then distinct random ones up to
    /// <paramref name="count"/>. The two anchors hold the front's ends (most accurate, fastest), which random genomes of
    /// a deep space almost never reach: with a budget that admits the largest network, the search then finds it.
    /// </summary>
    public static List<Genome> Anchored(ISearchSpace space, int count, Random random)
    {
        var anchors = Anchors(space).Take(count).ToList();
        return [.. anchors, .. Sample(space, count - anchors.Count, random, anchors)];
    }

    /// <summary>The largest and the smallest sub-network, canonical and distinct.</summary>
    public static List<Genome> Anchors(ISearchSpace space) =>
        [.. new[] { space.Largest(), space.Smallest() }.Select(space.Canonicalize).Distinct()];
}
