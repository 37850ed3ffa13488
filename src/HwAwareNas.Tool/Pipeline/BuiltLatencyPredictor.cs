using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Predictors;
using HwAwareNas.Reporting;
using HwAwareNas.Search.Surrogates;
using HwAwareNas.Tool.Predictors;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// The latency predictor <c>hwnas predictors build</c> stored for this device, family and settings, as the search's
/// latency surrogate: the same predictor, encoding and seed refitted on the build's samples together with whatever the
/// search has measured (the search's own measurement wins for a genome in both), so the search starts from a predictor
/// of known quality instead of one fitted on its first few measurements. A predictor built with a transfer source is
/// refitted the same way over a source predictor fitted again on the source device's stored latencies.
/// </summary>
internal sealed class BuiltLatencyPredictor
{
    private readonly IElasticFamily _family;
    private readonly StoredPredictorRecord _record;
    private readonly List<Genome> _genomes;
    private readonly TransferSource? _transfer;

    // The fitted source predictor, saved: each fit transfers from a copy, so no native memory outlives a surrogate.
    private readonly byte[]? _source;

    private BuiltLatencyPredictor(IElasticFamily family, StoredPredictorRecord record, TransferSource? transfer, byte[]? source)
    {
        _family = family;
        _record = record;
        _genomes = [.. record.Samples.Select(s => family.Canonicalize(Genome.FromKey(family, s.GenomeKey)))];
        _transfer = transfer;
        _source = source;
    }

    /// <summary>What the report shows about it.</summary>
    public BuiltPredictorSummary Summary => new(
        PredictorText, _record.Encoding, _record.Samples.Count, _record.HoldOut.Count, _record.KendallTau, _record.Mape * 100, _record.TargetsMet, _record.BuiltAt);

    /// <summary>The device it was transferred from, or null for a predictor built from scratch.</summary>
    public TransferSource? Transfer => _transfer;

    private string PredictorText => _transfer is null ? _record.Predictor : $"{_record.Predictor} transferred from {_transfer.Name}";

    /// <summary>The configured predictors with this one for latency, so the report cross-validates what the search used.</summary>
    public Core.Configuration.PredictorOptions Apply(Core.Configuration.PredictorOptions configured) =>
        configured with { Latency = Enum.Parse<PredictorKind>(_record.Predictor, ignoreCase: true) };

    /// <summary>The progress line that says the search uses it.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"latency predictor: built {PredictorText} ({_record.Encoding}) from the store, {_record.Samples.Count} samples, held-out tau {_record.KendallTau:0.000}, MAPE {_record.Mape * 100:0.00} %{(_record.TargetsMet ? string.Empty : " (short of its targets)")}");

    /// <summary>
    /// The predictor built for <paramref name="fingerprintKey"/> and <paramref name="family"/>'s settings, when the store
    /// holds one and <paramref name="strategy"/> fits surrogates (full, concurrent); otherwise null.
    /// </summary>
    /// <exception cref="HwNasException">
    /// It was transferred from a device of whose latencies the store now holds too few (exit code <see cref="ExitCode.MissingInput"/>).
    /// </exception>
    public static BuiltLatencyPredictor? TryLoad(ResultsStore store, string fingerprintKey, IElasticFamily family, SearchStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(family);
        if (strategy is not (SearchStrategy.Full or SearchStrategy.Concurrent)
            || store.TryGetPredictor(fingerprintKey, family.Family, LiveEvaluator.SettingsHashOf(family), LatencyProfilerOptions.LatencyMetric) is not { } record)
        {
            return null;
        }

        if (TransferSource.FromBuildJson(record.BuildJson) is not { } transfer)
        {
            return new BuiltLatencyPredictor(family, record, null, null);
        }

        using var source = transfer.FitSource(
            store, family, record.Predictor, record.Encoding, PredictorOptionsOf(record), PredictorComparison.CreateFactory());
        using var saved = new MemoryStream();
        source.Save(saved);
        return new BuiltLatencyPredictor(family, record, transfer, saved.ToArray());
    }

    /// <summary>A fresh surrogate over the stored samples (one per fit, as <see cref="GenomeSurrogate"/>).</summary>
    public ISurrogateModel CreateSurrogate() => new GenomeSurrogate(Fit);

    private GenomePredictor Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> values)
    {
        var measured = new Dictionary<string, (Genome Genome, double Value)>(StringComparer.Ordinal);
        for (var i = 0; i < _genomes.Count; i++)
        {
            measured[_genomes[i].Key] = (_genomes[i], _record.Samples[i].Value);
        }

        for (var i = 0; i < genomes.Count; i++)
        {
            var canonical = _family.Canonicalize(genomes[i]);
            measured[canonical.Key] = (canonical, values[i]);
        }

        var factory = PredictorComparison.CreateFactory();
        GenomePredictor predictor;
        if (_source is null)
        {
            predictor = GenomePredictor.Create(_family, _record.Predictor, _record.Encoding, PredictorOptionsOf(_record), factory);
        }
        else
        {
            using var saved = new MemoryStream(_source);
            using var source = GenomePredictor.Load(saved, _family, factory);
            predictor = GenomePredictor.CreateTransfer(source, PredictorOptionsOf(_record), factory);
        }

        return GenomeSurrogate.FitNew(predictor, [.. measured.Values.Select(m => m.Genome)], [.. measured.Values.Select(m => m.Value)]);
    }

    private static HwAwareNas.Predictors.PredictorOptions PredictorOptionsOf(StoredPredictorRecord record) => new() { Seed = record.Seed };
}
