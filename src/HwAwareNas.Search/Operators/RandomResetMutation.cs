using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Operators;

/// <summary>
/// Per-gene random reset: each gene, independently with probability <see cref="PerGeneRate"/>, takes a different
/// choice drawn uniformly from its other choices. The default rate is 1/genes, so one gene changes per offspring
/// on average. Note that the rate is per gene: the per-individual 0.02 sometimes quoted (DyNAS-T's mutation
/// 1/population with 50 individuals) used as a per-gene rate on a 45-gene space mutates under one gene per
/// offspring, and as a per-individual rate almost no offspring at all, leaving the search to crossover alone.
/// </summary>
internal sealed class RandomResetMutation : IMutation
{
    /// <summary>Creates the mutation; <paramref name="perGeneRate"/> null means 1/genes.</summary>
    public RandomResetMutation(double? perGeneRate = null)
    {
        if (perGeneRate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(perGeneRate), perGeneRate, "A rate must lie in [0, 1].");
        }

        PerGeneRate = perGeneRate;
    }

    /// <summary>Probability that a gene mutates; null means 1/genes.</summary>
    public double? PerGeneRate { get; }

    /// <inheritdoc />
    public Genome Mutate(ISearchSpace space, Genome genome, Random random)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(genome);
        ArgumentNullException.ThrowIfNull(random);
        var rate = PerGeneRate ?? 1.0 / Math.Max(1, genome.Length);
        var choices = genome.Choices.ToArray();
        var changed = false;
        for (var i = 0; i < choices.Length; i++)
        {
            var cardinality = space.Genes[i].Cardinality;
            if (cardinality < 2 || random.NextDouble() >= rate)
            {
                continue;
            }

            // Draw from the other choices only, so a mutation always changes the gene.
            var other = random.Next(cardinality - 1);
            choices[i] = other >= choices[i] ? other + 1 : other;
            changed = true;
        }

        return changed ? new Genome(choices) : genome;
    }
}
