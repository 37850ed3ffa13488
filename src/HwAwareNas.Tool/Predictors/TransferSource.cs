using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Predictors;
using HwAwareNas.Tool.Pipeline;

namespace HwAwareNas.Tool.Predictors;

/// <summary>
/// The device a latency predictor is transferred from (<c>predictors build --transfer-from</c>): whose stored
/// measurements of the same family and settings fit the source predictor. A built predictor records it in its build
/// JSON, so <c>optimize</c> re-reads the same measurements and refits the transfer as the build did.
/// </summary>
/// <param name="Name">What the user named it: a device profile or a fingerprint key.</param>
/// <param name="FingerprintKey">The fingerprint its latencies are stored under.</param>
/// <param name="Statistic">The latency statistic read from its measurements (its profile's, else the target's).</param>
internal sealed record TransferSource(string Name, string FingerprintKey, LatencyStatistic Statistic)
{
    /// <summary>Fewest stored source measurements a transfer is built from: below it the source predictor ranks poorly itself.</summary>
    public const int MinimumSamples = 20;

    private const string JsonProperty = "transfer";

    /// <summary>
    /// Resolves <paramref name="nameOrKey"/>: a device fingerprint key the store holds, else a device profile
    /// <c>devices/&lt;name&gt;.yaml</c> beside <paramref name="configPath"/>, whose fingerprint and statistic are taken as
    /// <c>profile</c> and <c>optimize</c> take them.
    /// </summary>
    /// <exception cref="HwNasException">Neither (exit code <see cref="ExitCode.MissingInput"/>), or a bad profile.</exception>
    public static TransferSource Resolve(string nameOrKey, string configPath, HwNasConfig target, ResultsStore store)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrKey);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(store);
        if (store.ListDevices().Any(d => string.Equals(d.Key, nameOrKey, StringComparison.Ordinal)))
        {
            return new TransferSource(nameOrKey, nameOrKey, target.Device.Measure.Statistic);
        }

        var profile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, "devices", nameOrKey + ".yaml");
        if (nameOrKey.IndexOfAny(['/', '\\', ':']) >= 0 || !File.Exists(profile))
        {
            throw new HwNasException(
                $"--transfer-from '{nameOrKey}' names neither a device profile ({profile}) nor a device fingerprint in the results store ({store.Path}).",
                ExitCode.MissingInput);
        }

        var source = HwNasConfigLoader.Load(configPath, new ConfigLoadOptions { DeviceProfile = nameOrKey });
        return new TransferSource(nameOrKey, PredictorData.FingerprintOf(source, store), source.Device.Measure.Statistic);
    }

    /// <summary>The transfer recorded in a stored predictor's build JSON, or null for a predictor built from scratch.</summary>
    public static TransferSource? FromBuildJson(string buildJson)
    {
        ArgumentNullException.ThrowIfNull(buildJson);
        using var document = JsonDocument.Parse(buildJson);
        if (!document.RootElement.TryGetProperty(JsonProperty, out var transfer) || transfer.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return new TransferSource(
            transfer.GetProperty("name").GetString()!,
            transfer.GetProperty("source_fingerprint").GetString()!,
            ConfigChoices.Parse<LatencyStatistic>(transfer.GetProperty("statistic").GetString()!));
    }

    /// <summary>What the build JSON records under <c>transfer</c>.</summary>
    public object ToJson(int sourceSamples) => new
    {
        name = Name,
        source_fingerprint = FingerprintKey,
        statistic = ConfigChoices.Format(Statistic),
        source_samples = sourceSamples,
    };

    /// <summary>
    /// The source's usable latencies of <paramref name="family"/> (not suspect, with a finite statistic), one per
    /// canonical sub-network, in genome-key order so that the same store contents fit the same source predictor.
    /// </summary>
    /// <exception cref="HwNasException">Fewer than <see cref="MinimumSamples"/> (exit code <see cref="ExitCode.MissingInput"/>).</exception>
    public (IReadOnlyList<Genome> Genomes, IReadOnlyList<double> Values) ReadSamples(ResultsStore store, IElasticFamily family)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(family);
        var samples = new SortedDictionary<string, (Genome Genome, double Value)>(StringComparer.Ordinal);
        foreach (var record in store.ListMeasurements(FingerprintKey, family.Family, LiveEvaluator.SettingsHashOf(family), LatencyProfilerOptions.LatencyMetric))
        {
            var value = record.Statistics.Figure(Statistic);
            if (!record.Suspect && double.IsFinite(value) && value > 0)
            {
                var genome = family.Canonicalize(Genome.FromKey(family, record.Key.GenomeKey));
                samples[genome.Key] = (genome, value);
            }
        }

        if (samples.Count < MinimumSamples)
        {
            throw new HwNasException(
                string.Create(CultureInfo.InvariantCulture, $"--transfer-from '{Name}': the results store holds {samples.Count} usable latencies of this {family.Family} super-network measured on that device ({FingerprintKey}); a transfer needs at least {MinimumSamples}. Measure some first, e.g. 'hwnas profile --device {Name} --genomes 50'."),
                ExitCode.MissingInput);
        }

        return ([.. samples.Values.Select(s => s.Genome)], [.. samples.Values.Select(s => s.Value)]);
    }

    /// <summary>Fits the source predictor (<paramref name="predictor"/> on <paramref name="encoding"/>) on the source's latencies.</summary>
    /// <exception cref="HwNasException">Too few source latencies (exit code <see cref="ExitCode.MissingInput"/>).</exception>
    public GenomePredictor FitSource(
        ResultsStore store, IElasticFamily family, string predictor, string encoding, HwAwareNas.Predictors.PredictorOptions options, PredictorFactory factory)
    {
        var (genomes, values) = ReadSamples(store, family);
        // The transfer reads only its predictions: no cross-validated metadata or ensemble spread is needed.
        var source = GenomePredictor.Create(family, predictor, encoding, options with { CrossValidate = false, EnsembleSize = 0 }, factory);
        try
        {
            source.Fit(genomes, values);
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }
}
