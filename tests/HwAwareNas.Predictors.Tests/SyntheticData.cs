using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Tests;

/// <summary>Seeded random genomes and known target functions over <see cref="SyntheticSpace"/>.</summary>
internal static class SyntheticData
{
    public static List<Genome> RandomGenomes(SyntheticSpace space, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count)
            .Select(_ => space.Canonicalize(new Genome(space.Genes.Select(g => random.Next(g.Cardinality)))))];
    }

    /// <summary>
    /// Additive per block, like a latency lookup table would assume: a fixed cost plus, for every active block,
    /// a kernel cost and an expand cost that grow with the unit index.
    /// </summary>
    public static double Additive(SyntheticSpace space, Genome genome)
    {
        var total = 2.0;
        for (var b = 0; b < space.Blocks; b++)
        {
            if (space.IsActive(genome, b))
            {
                var unitFactor = 1 + (0.5 * space.Genes[b].Unit);
                total += unitFactor * ((0.04 * space.Genes[b].Values[genome[b]]) + (0.03 * space.Genes[space.Blocks + b].Values[genome[space.Blocks + b]]));
            }
        }

        return total;
    }

    /// <summary>
    /// Dominated by an interaction no additive model can express: the squared difference between the number of
    /// active kernel-7 blocks and the number of active expand-6 blocks.
    /// </summary>
    public static double Interacting(SyntheticSpace space, Genome genome)
    {
        int kernel7 = 0, expand6 = 0;
        for (var b = 0; b < space.Blocks; b++)
        {
            if (space.IsActive(genome, b))
            {
                kernel7 += genome[b] == 2 ? 1 : 0;
                expand6 += genome[space.Blocks + b] == 2 ? 1 : 0;
            }
        }

        return 1 + (0.2 * (kernel7 - expand6) * (kernel7 - expand6));
    }

    /// <summary>Applies <paramref name="function"/> with seeded multiplicative noise of the given relative size.</summary>
    public static double[] Targets(SyntheticSpace space, IReadOnlyList<Genome> genomes, Func<SyntheticSpace, Genome, double> function, double noise, int seed)
    {
        var random = new Random(seed);
        return [.. genomes.Select(g => function(space, g) * (1 + (noise * ((2 * random.NextDouble()) - 1))))];
    }
}
