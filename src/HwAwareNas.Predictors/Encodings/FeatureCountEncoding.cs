using System.Globalization;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Encodings;

/// <summary>
/// Feature counts (FC): for every gene group and every value it takes, how many active genes of that group hold
/// that value (e.g. how many active blocks use kernel 7, how many units have depth 4). Position-free, so it
/// generalises across blocks but cannot tell an early block from a late one.
/// </summary>
internal sealed class FeatureCountEncoding : IGenomeEncoding
{
    private readonly ISearchSpace _space;
    private readonly Dictionary<(string Group, double Value), int> _slots = [];

    /// <summary>Creates the encoding for <paramref name="space"/>.</summary>
    public FeatureCountEncoding(ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        var names = new List<string>();
        foreach (var group in space.Genes.Select(g => g.Group).Distinct(StringComparer.Ordinal))
        {
            var values = space.Genes.Where(g => g.Group == group).SelectMany(g => g.Values).Distinct().Order();
            foreach (var value in values)
            {
                _slots[(group, value)] = names.Count;
                names.Add($"{group}={value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        FeatureNames = names;
    }

    /// <summary>The name this encoding is selected by.</summary>
    public const string EncodingName = "fc";

    /// <inheritdoc />
    public string Name => EncodingName;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames { get; }

    /// <inheritdoc />
    public float[] Encode(Genome genome)
    {
        GenomeEncodings.CheckLength(_space, genome);
        var features = new float[FeatureNames.Count];
        for (var i = 0; i < genome.Length; i++)
        {
            if (_space.IsActive(genome, i))
            {
                var gene = _space.Genes[i];
                features[_slots[(gene.Group, gene.Values[genome[i]])]] += 1f;
            }
        }

        return features;
    }
}
