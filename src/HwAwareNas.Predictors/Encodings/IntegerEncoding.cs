using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Encodings;

/// <summary>
/// The plain value of every gene (e.g. kernel size 5, expand ratio 4), inactive genes included: the simplest
/// encoding, useful for tree models that can learn the masking themselves.
/// </summary>
internal sealed class IntegerEncoding : IGenomeEncoding
{
    private readonly ISearchSpace _space;

    /// <summary>Creates the encoding for <paramref name="space"/>.</summary>
    public IntegerEncoding(ISearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        _space = space;
        FeatureNames = [.. space.Genes.Select(g => g.Name)];
    }

    /// <summary>The name this encoding is selected by.</summary>
    public const string EncodingName = "integer";

    /// <inheritdoc />
    public string Name => EncodingName;

    /// <inheritdoc />
    public IReadOnlyList<string> FeatureNames { get; }

    /// <inheritdoc />
    public float[] Encode(Genome genome)
    {
        GenomeEncodings.CheckLength(_space, genome);
        var features = new float[genome.Length];
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)_space.Genes[i].Values[genome[i]];
        }

        return features;
    }
}
