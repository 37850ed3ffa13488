namespace HwAwareNas.Core.SearchSpace;

/// <summary>
/// Draws canonical genomes either uniformly or balanced across <see cref="DepthBins"/>. For a bin it draws every
/// gene at random and then redraws only the unit-level genes (depths) until the total depth falls in the bin, so
/// the block-level choices stay uniform.
/// </summary>
public sealed class DepthBalancedSampler
{
    private const int MaxAttempts = 100_000;

    private readonly ISearchSpace _space;
    private readonly int[] _unitLevelGenes;

    /// <summary>Creates a sampler over <paramref name="bins"/> of <paramref name="space"/>.</summary>
    public DepthBalancedSampler(ISearchSpace space, DepthBins bins)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(bins);
        _space = space;
        Bins = bins;
        _unitLevelGenes = [.. Enumerable.Range(0, space.Genes.Count).Where(i => space.Genes[i].Block < 0)];
    }

    /// <summary>The bins sampled over.</summary>
    public DepthBins Bins { get; }

    /// <summary>A uniformly random canonical genome.</summary>
    public Genome SampleUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return _space.Canonicalize(new Genome(_space.Genes.Select(g => random.Next(g.Cardinality))));
    }

    /// <summary>A random canonical genome whose total depth falls in <paramref name="bin"/>.</summary>
    public Genome SampleInBin(int bin, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var choices = _space.Genes.Select(g => random.Next(g.Cardinality)).ToArray();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            foreach (var i in _unitLevelGenes)
            {
                choices[i] = random.Next(_space.Genes[i].Cardinality);
            }

            var genome = new Genome(choices);
            if (Bins.BinOf(genome) == bin)
            {
                return _space.Canonicalize(genome);
            }
        }

        throw new InvalidOperationException($"No genome of depth bin {bin} found in {MaxAttempts} draws.");
    }

    /// <summary>
    /// <paramref name="count"/> genomes spread evenly over the bins (the remainder to the first bins), shuffled.
    /// </summary>
    public IReadOnlyList<Genome> SampleBalanced(int count, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var genomes = new List<Genome>(count);
        for (var k = 0; k < count; k++)
        {
            genomes.Add(SampleInBin(k % Bins.Count, random));
        }

        var shuffled = genomes.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }

    /// <summary><paramref name="count"/> uniformly random genomes.</summary>
    public IReadOnlyList<Genome> SampleRandom(int count, Random random) =>
        [.. Enumerable.Range(0, count).Select(_ => SampleUniform(random))];
}
