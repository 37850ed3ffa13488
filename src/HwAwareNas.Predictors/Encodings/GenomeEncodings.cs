using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Encodings;

/// <summary>Creates encodings by the names hwnas.yaml and the CLI use.</summary>
public static class GenomeEncodings
{
    /// <summary>The encoding names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [IntegerEncoding.EncodingName, OneHotEncoding.EncodingName, FeatureCountEncoding.EncodingName, FccEncoding.EncodingName];

    /// <summary>
    /// The encoding a predictor uses when none is configured: FCC for the MLP (ESM's best pairing) where FCC sees every
    /// gene of <paramref name="space"/> (see <see cref="FccEncoding.SeesEveryGene"/>; assumed when no space is given),
    /// masked one-hot otherwise and for the other predictors (per-block deltas for the lookup table, per-block weights
    /// for ridge, splits for trees).
    /// </summary>
    public static string DefaultFor(string predictorName, ISearchSpace? space = null) =>
        string.Equals(predictorName, "mlp", StringComparison.OrdinalIgnoreCase) && (space is null || FccEncoding.SeesEveryGene(space))
            ? FccEncoding.EncodingName
            : OneHotEncoding.EncodingName;

    /// <summary>Creates the encoding called <paramref name="name"/> for <paramref name="space"/>.</summary>
    /// <exception cref="HwNasException">The name is unknown (exit code <see cref="ExitCode.BadConfig"/>).</exception>
    public static IGenomeEncoding Create(string name, ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToUpperInvariant() switch
        {
            "INTEGER" => new IntegerEncoding(space),
            "ONEHOT" => new OneHotEncoding(space),
            "FC" => new FeatureCountEncoding(space),
            "FCC" => new FccEncoding(space),
            _ => throw new HwNasException(
                $"Unknown encoding '{name}'; expected one of: {string.Join(", ", Names)}.", ExitCode.BadConfig),
        };
    }

    internal static void CheckLength(ISearchSpace space, Genome genome)
    {
        ArgumentNullException.ThrowIfNull(genome);
        if (genome.Length != space.Genes.Count)
        {
            throw new ArgumentException(
                $"The genome has {genome.Length} genes but the {space.Family} space has {space.Genes.Count}.", nameof(genome));
        }
    }
}
