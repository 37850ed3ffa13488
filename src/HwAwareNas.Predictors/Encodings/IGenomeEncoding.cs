using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Encodings;

/// <summary>
/// Turns a genome into the fixed-length feature vector a predictor learns from. Implementations are generic over
/// families: they read only the genes' group, unit and block and <see cref="ISearchSpace.IsActive"/>.
/// </summary>
public interface IGenomeEncoding
{
    /// <summary>The name the encoding is selected and saved by, e.g. <c>onehot</c>.</summary>
    string Name { get; }

    /// <summary>One name per feature, in feature order.</summary>
    IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Encodes one genome; the result has <see cref="FeatureNames"/>.Count elements.</summary>
    float[] Encode(Genome genome);
}
