using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Predictors.Data;
using HwAwareNas.Tool.Pipeline;

namespace HwAwareNas.Tool.Predictors;

/// <summary>The measured samples of one metric that predictors are evaluated and fitted on, with their family.</summary>
/// <param name="Family">The family the genomes belong to.</param>
/// <param name="Metric">The metric's name (the CSV column).</param>
/// <param name="Genomes">Genomes that have a value for the metric.</param>
/// <param name="Values">The metric's value per genome.</param>
/// <param name="Source">Where the samples came from, for messages.</param>
/// <param name="DefaultModelPath">Where <c>predictors fit</c> saves the predictor when no path is given.</param>
internal sealed record PredictorData(
    IElasticFamily Family,
    string Metric,
    IReadOnlyList<Genome> Genomes,
    IReadOnlyList<double> Values,
    string Source,
    string DefaultModelPath)
{
    /// <summary>
    /// The fingerprint the configured device's latencies are stored under: this machine's, or for a remote device the
    /// newest recorded fingerprint of its kind taken under the same settings (its agents' hardware is only known to them).
    /// </summary>
    internal static string FingerprintOf(HwNasConfig config, ResultsStore store)
    {
        var local = OrtLatencyProfiler.CreateFingerprint(config.Device, config.Supernet.Input);
        if (config.Device.Remote is not { } remote)
        {
            return local.Key;
        }

        // The lines that come from the caller's settings, which a remote fingerprint shares with a local one.
        var settings = local.CanonicalText.Split('\n')
            .Where(l => l.StartsWith("intra_op_threads=", StringComparison.Ordinal) || l.StartsWith("inter_op_threads=", StringComparison.Ordinal)
                || l.StartsWith("provider=", StringComparison.Ordinal) || l.StartsWith("batch=", StringComparison.Ordinal)
                || l.StartsWith("input=", StringComparison.Ordinal) || l.StartsWith("graph_optimization=", StringComparison.Ordinal)
                || l.StartsWith("precision=", StringComparison.Ordinal))
            .Append("kind=" + remote.Kind)
            .ToList();
        return store.ListDevices()
            .FirstOrDefault(d => settings.All(line => d.Description.Split('\n').Contains(line, StringComparer.Ordinal)))
            .Key
            ?? throw new HwNasException(
                $"The results store holds no measurements of device kind '{remote.Kind}' under these settings; run 'dotnet hwnas profile' or 'optimize' with this device first.",
                ExitCode.MissingInput);
    }

    /// <summary>Reads the metric column of a CSV file whose genomes belong to <paramref name="space"/>.</summary>
    /// <exception cref="HwNasException">A missing or malformed file, or an unknown metric column.</exception>
    public static PredictorData FromCsv(IElasticFamily space, string dataPath, string metric)
    {
        var (genomes, values) = MetricCsv.Read(dataPath, space).Select(metric);
        var path = Path.Combine(
            Path.GetDirectoryName(Path.GetFullPath(dataPath))!, ResultsStore.FolderName, "predictors", $"{metric}-{Path.GetFileNameWithoutExtension(dataPath)}.zip");
        return new PredictorData(space, metric, genomes, values, dataPath, path);
    }

    /// <summary>
    /// Reads the latencies the results store beside <paramref name="configPath"/> holds for this machine under the
    /// configured device (the fingerprint <c>optimize</c> measures under) and the configured family and settings.
    /// </summary>
    /// <exception cref="HwNasException">A bad configuration, a metric the store does not keep per device, or no store.</exception>
    public static PredictorData FromStore(string configPath, string? device, string metric)
    {
        var config = HwNasConfigLoader.Load(configPath, new ConfigLoadOptions { DeviceProfile = device });
        if (!string.Equals(metric, LatencyProfilerOptions.LatencyMetric, StringComparison.Ordinal))
        {
            throw new HwNasException(
                $"With --config, --metric must be '{LatencyProfilerOptions.LatencyMetric}' (the per-device metric the results store keeps); "
                + "for other metrics export them to a CSV and pass --data.",
                ExitCode.BadConfig);
        }

        var storePath = ResultsStore.DefaultPath(config.SourcePath);
        if (!File.Exists(storePath))
        {
            throw new HwNasException($"No results store at '{storePath}'; run 'dotnet hwnas optimize' or 'profile' first.", ExitCode.MissingInput);
        }

        var supernet = config.Supernet;
        var family = supernet.CreateFamily();
        using var store = ResultsStore.Open(storePath);
        var fingerprint = FingerprintOf(config, store);
        var statistic = config.Device.Measure.Statistic;
        var records = store.ListMeasurements(fingerprint, family.Family, LiveEvaluator.SettingsHashOf(family), metric)
            .Where(r => !r.Suspect && double.IsFinite(r.Statistics.Figure(statistic)))
            .ToList();
        var genomes = records.Select(r => Genome.FromKey(family, r.Key.GenomeKey)).ToList();
        var path = Path.Combine(Path.GetDirectoryName(storePath)!, "predictors", $"{metric}-{fingerprint}.zip");
        return new PredictorData(family, metric, genomes, [.. records.Select(r => r.Statistics.Figure(statistic))], storePath, path);
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
}
