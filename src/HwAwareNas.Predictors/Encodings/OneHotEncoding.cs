using System.Globalization;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Encodings;

/// <summary>
/// One indicator per (gene, choice); the indicators of an inactive gene are all zero, so genes a shallower depth
/// leaves unused cannot look like a choice (Laube et al.'s masked one-hot).
/// </summary>
internal sealed class OneHotEncoding : IGenomeEncoding
{
    private readonly ISearchSpace _space;
    private readonly int[] _offsets;

    /// <summary>Creates the encoding for <paramref name="space"/>.</summary>
    public OneHotEncoding(ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        _offsets = new int[space.Genes.Count];
        var names = new List<string>();
        for (var i = 0; i < space.Genes.Count; i++)
        {
            var gene = space.Genes[i];
            _offsets[i] = names.Count;
            names.AddRange(gene.Values.Select(v => $"{gene.Name}={v.ToString(CultureInfo.InvariantCulture)}"));
        }

        FeatureNames = names;
    }

    /// <summary>The name this encoding is selected by.</summary>
    public const string EncodingName = "onehot";

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
                features[_offsets[i] + genome[i]] = 1f;
            }
        }

        return features;
    }
}
