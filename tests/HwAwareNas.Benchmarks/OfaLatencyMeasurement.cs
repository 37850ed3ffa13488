using System.Globalization;
using System.Text;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Networks;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Core.Text;
using HwAwareNas.Measurement;
using HwAwareNas.OfaBench;
using HwAwareNas.Onnx;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Torch.Training;

namespace HwAwareNas.Benchmarks;

/// <summary>One whole sub-network timed live to fit or check the latency table.</summary>
/// <param name="Genome">The sub-network.</param>
/// <param name="Role"><c>fit</c> (the overhead is fitted on these) or <c>check</c> (the table is judged on these).</param>
/// <param name="LayerSumMs">The table's sum of its layers, without the overhead.</param>
/// <param name="LiveMs">Its live latency.</param>
internal sealed record LiveLatency(Genome Genome, string Role, double LayerSumMs, double LiveMs);

/// <summary>The latency table with the live measurements it was fitted and checked on.</summary>
/// <param name="Table">Per-layer latencies and the fitted overhead.</param>
/// <param name="Live">The whole sub-networks timed live.</param>
/// <param name="Measured">Whether this run measured them (false: read from the committed cache).</param>
internal sealed record OfaLatencyData(OfaLatencyTable Table, IReadOnlyList<LiveLatency> Live, bool Measured)
{
    /// <summary>Kendall τ, MAPE, ... of the calibrated table against live latency on the check set.</summary>
    public PredictionQuality CheckQuality()
    {
        var check = Live.Where(l => l.Role == OfaLatencyMeasurement.CheckRole).ToList();
        return QualityMetrics.Evaluate([.. check.Select(l => l.LiveMs)], [.. check.Select(l => Table.OverheadMs + (Table.Scale * l.LayerSumMs))]);
    }
}

/// <summary>
/// Builds the OFA MobileNetV3 w1.0 (224×224) latency table on this machine: every distinct layer (<see cref="PlanLayer"/>)
/// cut out of a full-size sub-network with seeded random weights, exported with the product's exporter and timed with its
/// ORT profiler under the sample's 1-thread, batch-1 device profile; then whole sub-networks timed the same way, the first
/// <see cref="FitCount"/> to fit the table's calibration (overhead + scale × layers' sum) and <see cref="CheckCount"/> more to check it. Both are cached as
/// CSV files (committed), and measured again only when asked.
/// </summary>
internal static class OfaLatencyMeasurement
{
    /// <summary>Whole sub-networks the overhead is fitted on.</summary>
    public const int FitCount = 10;

    /// <summary>Whole sub-networks the table is checked on.</summary>
    public const int CheckCount = 30;

    /// <summary>Role of the fit set.</summary>
    public const string FitRole = "fit";

    /// <summary>Role of the check set.</summary>
    public const string CheckRole = "check";

    private const int WeightSeed = 1;
    private const int GenomeSeed = 18;
    private const string TableFile = "latency-table.csv";
    private const string LiveFile = "latency-live.csv";

    /// <summary>
    /// The table and its live check from <paramref name="folder"/>, or measured now (and written there) when they are
    /// missing or <paramref name="remeasure"/> is set.
    /// </summary>
    public static async Task<OfaLatencyData> LoadOrMeasureAsync(
        IElasticFamily family, DeviceOptions device, IReadOnlyList<(string Name, string Value)> machine, string folder, bool remeasure,
        CancellationToken cancellationToken)
    {
        var tablePath = Path.Combine(folder, TableFile);
        var livePath = Path.Combine(folder, LiveFile);
        if (!remeasure && File.Exists(tablePath) && File.Exists(livePath))
        {
            Progress.Note($"ofa: latency table from {tablePath} (pass --remeasure-ofa-latency to measure it again)");
            return new OfaLatencyData(OfaLatencyTable.Parse(File.ReadAllText(tablePath), tablePath), ReadLive(File.ReadAllText(livePath), family, livePath), Measured: false);
        }

        var data = await MeasureAsync(family, device, machine, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(folder);
        File.WriteAllText(tablePath, data.Table.ToCsv());
        File.WriteAllText(livePath, WriteLive(data.Live, family));
        Progress.Note($"ofa: latency table written to {tablePath}");
        return data;
    }

    private static async Task<OfaLatencyData> MeasureAsync(
        IElasticFamily family, DeviceOptions device, IReadOnlyList<(string Name, string Value)> machine, CancellationToken cancellationToken)
    {
        using var supernet = SupernetTrainer.CreateNetwork(family, WeightSeed);
        // Metadata only (it does not change the graph), but it must name one mean and std per input channel of the layer.
        byte[] Export(SubnetGraph graph, Genome genome) => OnnxExporter.ToBytes(graph, OnnxExportOptions.ForFamily(
            family, genome, new OnnxPreprocessing(1, [.. Enumerable.Repeat(0.0, graph.InputShape[0])], [.. Enumerable.Repeat(1.0, graph.InputShape[0])])));
        var profilers = new Dictionary<FeatureShape, OrtLatencyProfiler>();
        OrtLatencyProfiler ProfilerFor(FeatureShape shape)
        {
            if (!profilers.TryGetValue(shape, out var profiler))
            {
                profiler = new OrtLatencyProfiler(device, new InputShape(shape.Channels, shape.Height, shape.Width), new LatencyProfilerOptions(device.Measure, []));
                profilers[shape] = profiler;
            }

            return profiler;
        }

        // Every kernel size × expand ratio at full depth holds every distinct layer: each unit's first block (stride,
        // new width) and its later blocks, under each choice; the head and stem are in all of them.
        var kernels = family.Genes.Count(g => g.Group == "ks");
        var covering = new List<Genome>();
        foreach (var kernel in Enumerable.Range(0, family.Genes[0].Values.Count))
        {
            foreach (var expand in Enumerable.Range(0, family.Genes[kernels].Values.Count))
            {
                covering.Add(new Genome(family.Genes.Select((g, i) => g.Group switch
                {
                    "ks" => kernel,
                    "e" => expand,
                    _ => g.Values.Count - 1,
                })));
            }
        }

        var layers = new Dictionary<string, (PlanLayer Layer, byte[] Model)>(StringComparer.Ordinal);
        foreach (var genome in covering)
        {
            supernet.SetActive(genome);
            var whole = supernet.ExtractActive();
            foreach (var layer in PlanLayer.Of(supernet.ActivePlan).Where(l => !layers.ContainsKey(l.Key)))
            {
                layers[layer.Key] = (layer, Export(Flattened(layer.GraphFrom(whole)), genome));
            }
        }

        var progress = Progress.Start("ofa: layer latencies", layers.Count);
        var layerMs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var group in layers.Values.GroupBy(l => l.Layer.Input))
        {
            var items = group.ToList();
            var measured = await ProfilerFor(group.Key).ProfileAsync(
                [.. items.Select(l => new ProfileRequest(l.Layer.Key, family.Family, "ofa-layer", OnnxModel.FromBytes(l.Model)))], null, cancellationToken)
                .ConfigureAwait(false);
            for (var i = 0; i < items.Count; i++)
            {
                layerMs[items[i].Layer.Key] = measured[i].LatencyMs;
            }

            progress.Step(layerMs.Count, $"input {group.Key}");
        }

        var table = new OfaLatencyTable(layerMs, 0, [
            .. machine,
            ("measured", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)),
            ("load average (1/5/15 min) before", MachineFacts.LoadAverage()),
            ("layers", "every plan block of OFA MobileNetV3 w1.0 at 224x224 (stem, blocks, final expand, pooling, feature mix, classifier), "
                + $"cut from sub-networks with seeded random weights (seed {WeightSeed}), each exported alone (output flattened) and timed with "
                + $"ORT {device.IntraOpThreads} thread(s), batch {device.Batch}, {device.Measure.Warmup} warm-up + {device.Measure.Runs} runs, "
                + $"statistic {device.Measure.Statistic.ToString().ToLowerInvariant()}"),
        ]);

        // Whole sub-networks: random draws (seeded), the largest and smallest among the checked ones.
        var random = new Random(GenomeSeed);
        var drawn = new List<Genome>();
        while (drawn.Count < FitCount + CheckCount - 2)
        {
            var genome = family.Canonicalize(family.Sample(random));
            if (!drawn.Contains(genome))
            {
                drawn.Add(genome);
            }
        }

        List<Genome> wholeGenomes = [.. drawn.Take(FitCount), family.Largest(), family.Smallest(), .. drawn.Skip(FitCount)];
        var live = new List<LiveLatency>();
        var wholeProgress = Progress.Start("ofa: whole sub-networks", wholeGenomes.Count);
        foreach (var chunk in wholeGenomes.Chunk(OrtLatencyProfiler.MaxModelsPerGroup / 2))
        {
            var requests = chunk.Select(g =>
            {
                supernet.SetActive(g);
                return new ProfileRequest(g.Key, family.Family, "ofa-whole", OnnxModel.FromBytes(Export(supernet.ExtractActive(), g)));
            }).ToList();
            var measured = await ProfilerFor(family.Input).ProfileAsync(requests, null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                live.Add(new LiveLatency(chunk[i], live.Count < FitCount ? FitRole : CheckRole, table.SumOfLayers(family.Plan(chunk[i])), measured[i].LatencyMs));
            }

            wholeProgress.Step(live.Count);
        }

        var (overhead, scale) = Calibration(live);
        return new OfaLatencyData(table.WithCalibration(overhead, scale), live, Measured: true);
    }

    /// <summary>
    /// The calibration on the fit set: the scale by least squares through the origin (the gap grows with the network, and
    /// ten noisy points pin a slope through the origin far better than a free intercept), then the overhead as the mean
    /// gap that remains: (overhead, scale).
    /// </summary>
    public static (double Overhead, double Scale) Calibration(IReadOnlyList<LiveLatency> live)
    {
        var fit = live.Where(l => l.Role == FitRole).ToList();
        var scale = fit.Sum(l => l.LayerSumMs * l.LiveMs) / fit.Sum(l => l.LayerSumMs * l.LayerSumMs);
        return (fit.Average(l => l.LiveMs - (scale * l.LayerSumMs)), scale);
    }

    // The exporter writes a [features] output per sample; a layer's feature map is flattened to one (a free reshape in ORT).
    private static SubnetGraph Flattened(SubnetGraph layer) =>
        layer.Nodes[^1] is FlattenNode or LinearNode
            ? layer
            : layer with { Nodes = [.. layer.Nodes, new FlattenNode(layer.OutputName + ".flat", layer.OutputName)], OutputName = layer.OutputName + ".flat" };

    private static string WriteLive(IReadOnlyList<LiveLatency> live, IElasticFamily family)
    {
        var text = new StringBuilder("genome,role,layer_sum_ms,live_ms\n");
        foreach (var l in live)
        {
            text.Append(Rfc4180.Quote(family.ToOfaNotation(l.Genome))).Append(',').Append(l.Role).Append(',')
                .Append(l.LayerSumMs.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(l.LiveMs.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    private static List<LiveLatency> ReadLive(string text, IElasticFamily family, string source)
    {
        var records = Rfc4180.Read(text, (line, message) => new Core.Diagnostics.HwNasException($"{source}({line}): {message}.", Core.Diagnostics.ExitCode.MissingInput));
        return [.. records.Skip(1).Select(r => new LiveLatency(
            family.FromOfaNotation(r.Fields[0]), r.Fields[1],
            double.Parse(r.Fields[2], CultureInfo.InvariantCulture), double.Parse(r.Fields[3], CultureInfo.InvariantCulture)))];
    }
}
