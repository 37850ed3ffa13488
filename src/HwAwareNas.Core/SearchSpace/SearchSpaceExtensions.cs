using System.Globalization;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Core.SearchSpace;

/// <summary>Operations every search space supports through its genes alone: validation, extremes, sampling, parsing.</summary>
public static class SearchSpaceExtensions
{
    /// <summary>
    /// Throws <see cref="HwNasException"/> (<see cref="ExitCode.BadConfig"/>) when the genome's length differs from
    /// the number of genes or a choice index is out of its gene's range.
    /// </summary>
    public static void Validate(this ISearchSpace space, Genome genome)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(genome);
        if (genome.Length != space.Genes.Count)
        {
            throw new HwNasException(
                $"Invalid {space.Family} genome: it has {genome.Length} genes, the search space has {space.Genes.Count}.",
                ExitCode.BadConfig);
        }

        for (var i = 0; i < genome.Length; i++)
        {
            var gene = space.Genes[i];
            if (genome[i] < 0 || genome[i] >= gene.Cardinality)
            {
                throw new HwNasException(
                    $"Invalid {space.Family} genome: gene {gene.Name} has choice {genome[i]}, expected 0..{gene.Cardinality - 1}.",
                    ExitCode.BadConfig);
            }
        }
    }

    /// <summary>Whether the genome has the right length and every choice is in range.</summary>
    public static bool IsValid(this ISearchSpace space, Genome genome)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(genome);
        return genome.Length == space.Genes.Count
            && genome.Choices.Select((c, i) => c >= 0 && c < space.Genes[i].Cardinality).All(ok => ok);
    }

    /// <summary>The genome that picks every gene's largest value.</summary>
    public static Genome Largest(this ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return new Genome(space.Genes.Select(g => g.Cardinality - 1));
    }

    /// <summary>The genome that picks every gene's smallest value.</summary>
    public static Genome Smallest(this ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return new Genome(space.Genes.Select(_ => 0));
    }

    /// <summary>
    /// The uniformly scaled genomes, smallest first: level <c>l</c> of <c>L</c> (the most values any gene has) puts every
    /// gene at the same relative position of its values, <c>round(l·(n−1)/(L−1))</c> for a gene of <c>n</c> values, so
    /// the first is <see cref="Smallest"/> and the last <see cref="Largest"/>. They are what scaling a network by one
    /// knob gives, the baseline a search has to beat.
    /// </summary>
    public static IReadOnlyList<Genome> UniformlyScaled(this ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var levels = space.Genes.Max(g => g.Cardinality);
        if (levels < 2)
        {
            return [space.Smallest()];
        }

        return
        [
            .. Enumerable.Range(0, levels)
                .Select(level => new Genome(space.Genes.Select(g => (int)Math.Round(level * (g.Cardinality - 1) / (double)(levels - 1), MidpointRounding.AwayFromZero))))
                .DistinctBy(g => g.Key, StringComparer.Ordinal),
        ];
    }

    /// <summary>A uniformly random genome (each gene independently) drawn from <paramref name="random"/>.</summary>
    public static Genome Sample(this ISearchSpace space, Random random)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(random);
        return new Genome(space.Genes.Select(g => random.Next(g.Cardinality)));
    }

    /// <summary>
    /// Reads a genome as users write it: OFA-notation JSON (<c>{"ks":[..],...}</c>), <c>largest</c>, <c>smallest</c>,
    /// <c>random</c> or <c>random:SEED</c>. Throws <see cref="HwNasException"/> (<see cref="ExitCode.BadConfig"/>) otherwise.
    /// </summary>
    public static Genome ParseGenome(this ISearchSpace space, string text)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith('{'))
        {
            var genome = space.FromOfaNotation(trimmed);
            space.Validate(genome);
            return genome;
        }

        switch (trimmed.ToLowerInvariant())
        {
            case "largest":
                return space.Largest();
            case "smallest":
                return space.Smallest();
            case "random":
                return space.Sample(Random.Shared);
        }

        const string seeded = "random:";
        if (trimmed.StartsWith(seeded, StringComparison.OrdinalIgnoreCase))
        {
            var seedText = trimmed[seeded.Length..];
            if (!int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            {
                throw new HwNasException(
                    $"Invalid genome '{text}': the seed '{seedText}' is not an integer.", ExitCode.BadConfig);
            }

            return space.Sample(new Random(seed));
        }

        throw new HwNasException(
            $"Invalid genome '{text}': expected OFA-notation JSON, 'largest', 'smallest', 'random' or 'random:SEED'.",
            ExitCode.BadConfig);
    }
}
