using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Encodings;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors;

/// <summary>
/// A predictor over genomes: an <see cref="IGenomeEncoding"/> feeding an <see cref="IPredictor"/>. This is what
/// search strategies call; saved files record the encoding so loading rebuilds the same pairing. It owns the
/// predictor, so disposing it disposes the predictor.
/// </summary>
public sealed class GenomePredictor : IDisposable
{
    /// <summary>Pairs <paramref name="encoding"/> with <paramref name="predictor"/>, whose options must name that encoding.</summary>
    public GenomePredictor(IGenomeEncoding encoding, IPredictor predictor)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        ArgumentNullException.ThrowIfNull(predictor);
        if (!string.Equals(predictor.Options.Encoding, encoding.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The predictor was created for encoding '{predictor.Options.Encoding}', not '{encoding.Name}'.", nameof(predictor));
        }

        Encoding = encoding;
        Predictor = predictor;
    }

    /// <summary>The encoding genomes go through.</summary>
    public IGenomeEncoding Encoding { get; }

    /// <summary>The model behind the encoding.</summary>
    public IPredictor Predictor { get; }

    /// <summary>The predictor's metadata (throws before fitting).</summary>
    public PredictorMetadata Metadata => Predictor.Metadata;

    /// <summary>
    /// Creates an untrained genome predictor by names; <paramref name="encodingName"/> null or empty picks
    /// <see cref="GenomeEncodings.DefaultFor"/>.
    /// </summary>
    /// <exception cref="HwNasException">A name is unknown (exit code <see cref="ExitCode.BadConfig"/>).</exception>
    public static GenomePredictor Create(
        ISearchSpace space,
        string predictorName,
        string? encodingName = null,
        PredictorOptions? options = null,
        PredictorFactory? factory = null)
    {
        var encoding = GenomeEncodings.Create(
            string.IsNullOrEmpty(encodingName) ? GenomeEncodings.DefaultFor(predictorName, space) : encodingName, space);
        var predictor = (factory ?? new PredictorFactory())
            .Create(predictorName, (options ?? new PredictorOptions()) with { Encoding = encoding.Name });
        return new GenomePredictor(encoding, predictor);
    }

    /// <summary>
    /// Creates an untrained few-shot transfer predictor for a new device (<see cref="PredictorFactory.CreateTransfer"/>)
    /// over a copy of <paramref name="source"/>, a genome predictor fitted on another device; the source stays the
    /// caller's, so one fitted source can seed many transfers (one per round of a loop).
    /// </summary>
    /// <exception cref="ArgumentException">The source is not fitted.</exception>
    public static GenomePredictor CreateTransfer(GenomePredictor source, PredictorOptions? options = null, PredictorFactory? factory = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        factory ??= new PredictorFactory();
        using var copy = new MemoryStream();
        source.Save(copy);
        copy.Position = 0;
        return new GenomePredictor(source.Encoding, factory.CreateTransfer(factory.Load(copy), options));
    }

    /// <summary>Loads a genome predictor saved by <see cref="Save(Stream)"/> for <paramref name="space"/>.</summary>
    /// <exception cref="HwNasException">The file is not a saved predictor or does not fit the space.</exception>
    public static GenomePredictor Load(Stream stream, ISearchSpace space, PredictorFactory? factory = null)
    {
        var predictor = (factory ?? new PredictorFactory()).Load(stream);
        return Restore(predictor, space);
    }

    /// <summary>Loads a genome predictor saved by <see cref="Save(string)"/> for <paramref name="space"/>.</summary>
    /// <exception cref="HwNasException">The file is missing, not a saved predictor, or does not fit the space.</exception>
    public static GenomePredictor Load(string path, ISearchSpace space, PredictorFactory? factory = null)
    {
        var predictor = (factory ?? new PredictorFactory()).Load(path);
        return Restore(predictor, space);
    }

    /// <summary>Encodes the genomes and fits the predictor on them.</summary>
    public void Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> targets) =>
        Predictor.Fit(EncodeAll(genomes), targets);

    /// <summary>Predicts the metric of every genome.</summary>
    public double[] Predict(IReadOnlyList<Genome> genomes) => Predictor.Predict(EncodeAll(genomes));

    /// <summary>Predicts the metric of one genome.</summary>
    public double Predict(Genome genome) => Predictor.Predict(Encoding.Encode(genome));

    /// <summary>Predicts with a standard deviation (see <see cref="IPredictor.PredictWithUncertainty"/>).</summary>
    public Prediction[] PredictWithUncertainty(IReadOnlyList<Genome> genomes) =>
        Predictor.PredictWithUncertainty(EncodeAll(genomes));

    /// <summary>Quality of the predictions for <paramref name="genomes"/> against their measured values.</summary>
    public PredictionQuality Evaluate(IReadOnlyList<Genome> genomes, IReadOnlyList<double> measured) =>
        QualityMetrics.Evaluate(measured, Predict(genomes));

    /// <summary>Writes the fitted predictor, its encoding's name included.</summary>
    public void Save(Stream stream) => Predictor.Save(stream);

    /// <summary>Writes the fitted predictor to a file.</summary>
    public void Save(string path) => Predictor.Save(path);

    /// <inheritdoc />
    public void Dispose() => Predictor.Dispose();

    private float[][] EncodeAll(IReadOnlyList<Genome> genomes)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        return [.. genomes.Select(Encoding.Encode)];
    }

    private static GenomePredictor Restore(IPredictor predictor, ISearchSpace space)
    {
        var encoding = GenomeEncodings.Create(predictor.Metadata.Encoding, space);
        if (encoding.FeatureNames.Count != predictor.Metadata.FeatureCount)
        {
            throw new HwNasException(
                $"The saved predictor expects {predictor.Metadata.FeatureCount} {encoding.Name} features but the "
                + $"{space.Family} space gives {encoding.FeatureNames.Count}; it was fitted for another search space.",
                ExitCode.MissingInput);
        }

        return new GenomePredictor(encoding, predictor);
    }
}
