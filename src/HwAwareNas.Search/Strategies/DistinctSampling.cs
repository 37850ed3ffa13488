using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Operators;

namespace HwAwareNas.Search.Strategies;

/// <summary>Random genomes that build distinct networks (distinct canonical genomes).</summary>
internal static class DistinctSampling
{
    private const int MaxRounds = 100;

    // ESM's five bins over total depth.
    private const int DepthBinCount = 5;

    /// <summary>
    /// Up to <paramref name="count"/> distinct genomes drawn as <paramref name="sampling"/> says, none equivalent to any of
    /// <paramref name="exclude"/>; balanced draws also count <paramref name="exclude"/> when choosing the least represented bin.
    /// </summary>
    public static List<Genome> Draw(ISearchSpace space, int count, Random random, IReadOnlyList<Genome>? exclude, SubnetSampling sampling) =>
        sampling == SubnetSampling.Balanced ? Balanced(space, count, random, exclude) : Sample(space, count, random, exclude);

    /// <summary>
    /// Up to <paramref name="count"/> distinct genomes, each from the depth bin with the fewest members among
    /// <paramref name="exclude"/> and the genomes drawn so far (ties broken at random); a bin that yields no new genome
    /// in <see cref="MaxRounds"/> draws is exhausted and skipped.
    /// </summary>
    public static List<Genome> Balanced(ISearchSpace space, int count, Random random, IReadOnlyList<Genome>? exclude = null)
    {
        var sampler = new DepthBalancedSampler(space, new DepthBins(space, DepthBinCount));
        var bins = sampler.Bins;
        var seen = (exclude ?? []).Select(space.Canonicalize).ToHashSet();
        var members = new int[bins.Count];
        foreach (var genome in seen)
        {
            members[bins.BinOf(genome)]++;
        }

        var open = Enumerable.Range(0, bins.Count).ToList();
        var genomes = new List<Genome>();
        while (genomes.Count < count && open.Count > 0)
        {
            var fewest = open.Min(b => members[b]);
            var candidates = open.Where(b => members[b] == fewest).ToList();
            var bin = candidates[random.Next(candidates.Count)];
            var drawn = DrawNew(() => sampler.SampleInBin(bin, random), seen);
            if (drawn is null)
            {
                open.Remove(bin);
                continue;
            }

            genomes.Add(drawn);
            members[bin]++;
        }

        return genomes;
    }

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
    /// An initial population: the space's largest and smallest sub-networks, then distinct ones drawn as
    /// <paramref name="sampling"/> says up to <paramref name="count"/>. The two anchors hold the front's ends (most accurate, fastest), which random genomes of
    /// a deep space almost never reach: with a budget that admits the largest network, the search then finds it.
    /// </summary>
    public static List<Genome> Anchored(ISearchSpace space, int count, Random random, SubnetSampling sampling)
    {
        var anchors = Anchors(space).Take(count).ToList();
        return [.. anchors, .. Draw(space, count - anchors.Count, random, anchors, sampling)];
    }

    private static Genome? DrawNew(Func<Genome> draw, HashSet<Genome> seen)
    {
        for (var attempt = 0; attempt < MaxRounds; attempt++)
        {
            var genome = draw();
            if (seen.Add(genome))
            {
                return genome;
            }
        }

        return null;
    }

    /// <summary>The largest and the smallest sub-network, canonical and distinct.</summary>
    public static List<Genome> Anchors(ISearchSpace space) =>
        [.. new[] { space.Largest(), space.Smallest() }.Select(space.Canonicalize).Distinct()];
}
