using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Data;

namespace HwAwareNas.Tool.Predictors;

/// <summary>The measured samples of one metric that predictors are evaluated and fitted on, with their family.</summary>
/// <param name="Family">The family the genomes belong to.</param>
/// <param name="Metric">The metric's name (the CSV column).</param>
/// <param name="Genomes">Genomes that have a value for the metric.</param>
/// <param name="Values">The metric's value per genome.</param>
/// <param name="Source">Where the samples came from, for messages and default file names.</param>
internal sealed record PredictorData(
    IElasticFamily Family,
    string Metric,
    IReadOnlyList<Genome> Genomes,
    IReadOnlyList<double> Values,
    string Source)
{
    /// <summary>Builds the family from command-line settings and reads the metric column of a CSV file.</summary>
    /// <exception cref="HwNasException">A bad family setting, missing or malformed file, or unknown metric column.</exception>
    public static PredictorData FromCsv(string family, string? settings, string? input, int? classes, string dataPath, string metric)
    {
        var space = FamilyRegistry.Create(family, new FamilyOptions(ParseInput(input), classes, FamilySettingsReader.Split(settings)));
        var (genomes, values) = MetricCsv.Read(dataPath, space).Select(metric);
        return new PredictorData(space, metric, genomes, values, dataPath);
    }

    /// <summary>Throws unless every fold of a <paramref name="folds"/>-fold cross-validation gets at least two samples.</summary>
    /// <exception cref="HwNasException">Too few samples (exit code <see cref="ExitCode.MissingInput"/>).</exception>
    public void RequireFolds(int folds)
    {
        if (folds < 2)
        {
            throw new HwNasException($"--folds must be at least 2, not {folds}.", ExitCode.BadConfig);
        }

        // Two per held-out fold is the least for which a rank correlation means anything.
        if (Genomes.Count < 2 * folds)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"{Source} has {Genomes.Count} samples with a '{Metric}' value; {folds}-fold cross-validation needs at least {2 * folds}."),
                ExitCode.MissingInput);
        }
    }

    private static FeatureShape? ParseInput(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        if (parts.Length != 3
            || !parts.Select((p, i) => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]) && values[i] > 0).All(ok => ok))
        {
            throw new HwNasException($"Invalid --input '{text}': expected three positive integers C,H,W.", ExitCode.BadConfig);
        }

        return new FeatureShape(values[0], values[1], values[2]);
    }
}
