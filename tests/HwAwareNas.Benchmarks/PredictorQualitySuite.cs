using System.Diagnostics;
using ConfigChoices = HwAwareNas.Core.Configuration.ConfigChoices;
using HwNasConfigLoader = HwAwareNas.Core.Configuration.HwNasConfigLoader;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Predictors;
using HwAwareNas.Predictors.Datasets;
using HwAwareNas.Predictors.Encodings;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Tool.Pipeline;
using HwAwareNas.Tool.Predictors;
using HwAwareNas.Torch.Evaluation;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// Learning curves of every predictor × encoding on real measurements of the sample: Kendall τ, MAPE and fit time
/// against the training-set size, for latency and accuracy, with uniformly random and depth-balanced training sets,
/// scored on one fixed held-out set; the size where each first reaches τ ≥ 0.9; and the latency data's own
/// repeatability (the same sub-networks measured twice), which bounds what any latency predictor can reach.
/// </summary>
internal static class PredictorQualitySuite
{
    /// <summary>The predictors compared (the factory's names).</summary>
    public static readonly string[] Predictors = ["ridge", "gbdt", "lut", "mlp"];

    private const double TargetTau = 0.9;
    private const int BalancedSeed = 11;

    // Not BalancedSeed: the loop's held-out set would be the balanced half of the curves' held-out set.
    private const int LoopSeed = 13;
    private const int DepthBinCount = 5;

    // The cases the issue's learning curves single out (ridge on integer and one-hot, LUT on one-hot) and GBDT.
    private static readonly (string Predictor, string Encoding)[] LoopPairings =
    [
        ("ridge", IntegerEncoding.EncodingName),
        ("ridge", OneHotEncoding.EncodingName),
        ("lut", OneHotEncoding.EncodingName),
        ("gbdt", GenomeEncodings.DefaultFor("gbdt")),
    ];
    private static readonly string[] Samplings = ["random", "balanced"];
    private static readonly string[] Metrics = ["latency", "accuracy"];

    /// <summary>Runs the suite.</summary>
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var s = run.Settings;
        var sample = run.Sample;
        var space = sample.Family;
        var latencyMax = s.TrainingSizes.Max();
        var accuracyMax = Math.Min(latencyMax, s.AccuracyTrainingCap);
        var half = s.TestGenomes / 2;

        // Uniform pool: the genomes random search draws for seeds 1, 2, ... (so the search suite's random runs are reused).
        var uniform = new List<Genome>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 1; uniform.Count < half + latencyMax; seed++)
        {
            uniform.AddRange(DistinctSampling.Sample(space, s.Validations, new Random(seed)).Select(space.Canonicalize).Where(g => keys.Add(g.Key)));
        }

        var balanced = new DepthBalancedSampler(space, new DepthBins(space, DepthBinCount))
            .SampleBalanced(2 * (half + latencyMax), new Random(BalancedSeed))
            .Where(g => keys.Add(g.Key))
            .Take(half + latencyMax)
            .ToList();
        var test = uniform.Take(half).Concat(balanced.Take(half)).ToList();
        var pools = new Dictionary<string, List<Genome>>(StringComparer.Ordinal)
        {
            ["random"] = [.. uniform.Skip(half).Take(latencyMax)],
            ["balanced"] = [.. balanced.Skip(half).Take(latencyMax)],
        };

        // Latency of everything (cheap); accuracy of the test set and the first accuracyMax of each pool (the costly part).
        var all = test.Concat(pools["random"]).Concat(pools["balanced"]).ToList();
        var latencyProgress = Progress.Start("predictors: latency of the pools", all.Count);
        var latency = await sample.LatencyAsync(all, new Progress<ProfileProgress>(p => latencyProgress.Step(p.Done)), cancellationToken).ConfigureAwait(false);
        var measurementOf = all.Select((g, i) => (g.Key, latency[i])).ToDictionary(x => x.Key, x => x.Item2, StringComparer.Ordinal);
        var latencyOf = measurementOf.ToDictionary(x => x.Key, x => x.Value.LatencyMs, StringComparer.Ordinal);
        var needAccuracy = test.Concat(pools["random"].Take(accuracyMax)).Concat(pools["balanced"].Take(accuracyMax)).ToList();
        var accuracyProgress = Progress.Start("predictors: accuracy of the test set and pools", needAccuracy.Count);
        var accuracyOf = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var genome in needAccuracy)
        {
            cancellationToken.ThrowIfCancellationRequested();
            accuracyOf[genome.Key] = sample.Accuracy.Evaluate(genome);
            accuracyProgress.Step(accuracyOf.Count);
        }

        var repeat = await RepeatabilityAsync(run, test.Take(s.RepeatGenomes).ToList(), measurementOf, cancellationToken).ConfigureAwait(false);
        var fidelity = Fidelity(run, test.Take(s.FidelityGenomes).ToList(), accuracyOf, cancellationToken);

        var factory = PredictorComparison.CreateFactory();
        var rows = new List<CurveRow>();
        var jobs = (from metric in Metrics
                    from sampling in Samplings
                    from size in s.TrainingSizes.Where(n => n <= (metric == "latency" ? latencyMax : accuracyMax))
                    from predictor in Predictors
                    from encoding in GenomeEncodings.Names
                    select (metric, sampling, size, predictor, encoding)).ToList();
        var fitProgress = Progress.Start("predictors: fits", jobs.Count);
        foreach (var (metric, sampling, size, predictorName, encoding) in jobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = metric == "latency" ? latencyOf : accuracyOf;
            var training = pools[sampling].Take(size).ToList();
            var predictor = GenomePredictor.Create(space, predictorName, encoding, new PredictorOptions { Seed = 1, CrossValidate = false }, factory);
            var clock = Stopwatch.StartNew();
            predictor.Fit(training, [.. training.Select(g => values[g.Key])]);
            var fit = clock.Elapsed.TotalSeconds;
            var quality = predictor.Evaluate(test, [.. test.Select(g => values[g.Key])]);
            rows.Add(new CurveRow(metric, sampling, predictorName, encoding, size, quality, fit));
            fitProgress.Step(rows.Count, $"{metric} {sampling} {predictorName}/{encoding} n={size}: τ {quality.KendallTau:F3}");
        }

        var loops = await LoopsAsync(run, test, latencyOf, factory, latencyMax, cancellationToken).ConfigureAwait(false);

        var context = $"Held-out set: {test.Count} sub-networks ({half} uniformly random, {test.Count - half} depth-balanced), never trained on. "
            + $"Training sets: the first n of a uniformly random pool (the genomes random search draws, seeds 1, 2, ...) or of a depth-balanced "
            + $"pool (ESM's sampling over {DepthBinCount} depth bins, seed {BalancedSeed}); nested, so a curve adds samples. Latency: the table's "
            + $"1-thread {StatisticName(run)} (ms, the sample's device.measure.statistic), up to n = {latencyMax}; accuracy: top-1 on the table's validation subset, up to n = {accuracyMax} "
            + "(each costs a BatchNorm re-calibration and an evaluation). One fit per cell (seed 1, no cross-validation inside the fit except "
            + "ridge's own α selection); fit_s is the wall time of that fit. The mlp is ESM's 3 × 64 configuration; `mlp-small` is left out for time.";
        return
        [
            CurveTable(rows, "latency", s, context + $" **Latency repeatability** (the noise ceiling): {RepeatNote(repeat, StatisticName(run))}"),
            CurveTable(rows, "accuracy", s, context + " " + FidelityNote(fidelity, s)),
            FirstReachingTable(rows, s),
            LoopTable(loops, rows, run.Settings, latencyMax),
            FitTimeTable(rows, s),
            LongTable(rows),
        ];
    }

    private static string StatisticName(BenchmarkRun run) => ConfigChoices.Format(run.Sample.Config.Device.Measure.Statistic);

    private static async Task<(PredictionQuality Searched, PredictionQuality Median, double Ratio)> RepeatabilityAsync(
        BenchmarkRun run, List<Genome> genomes, Dictionary<string, LatencyMeasurement> stored, CancellationToken cancellationToken)
    {
        // A profiler without the store measures again what the table already holds, under the same protocol.
        var sample = run.Sample;
        var device = sample.DeviceWith(1);
        var profiler = new OrtLatencyProfiler(device, sample.Config.Supernet.Input, new LatencyProfilerOptions(device.Measure, []));
        var progress = Progress.Start("predictors: latency re-measured for repeatability", genomes.Count);
        var again = await profiler.ProfileAsync(
            [.. genomes.Select(g => LiveEvaluator.RequestFor(sample.Onnx, g))], new Progress<ProfileProgress>(p => progress.Step(p.Done)), cancellationToken)
            .ConfigureAwait(false);
        return (
            QualityMetrics.Evaluate([.. genomes.Select(g => stored[g.Key].LatencyMs)], [.. again.Select(m => m.LatencyMs)]),
            QualityMetrics.Evaluate([.. genomes.Select(g => stored[g.Key].Record.Statistics.Median)], [.. again.Select(m => m.Record.Statistics.Median)]),
            Stats.Quantile([.. genomes.Select((g, i) => again[i].LatencyMs / stored[g.Key].LatencyMs)], 0.5));
    }

    private static (PredictionQuality Quality, double Min, double Max) Fidelity(BenchmarkRun run, List<Genome> genomes, Dictionary<string, double> table, CancellationToken cancellationToken)
    {
        // The sample's own accuracy protocol (its hwnas.yaml: 2000 calibration images, the whole 10,000-image test split).
        var sampleConfig = HwNasConfigLoader.Load(run.SampleYaml);
        var config = run.Sample.Config with { Dataset = run.Sample.Config.Dataset with
        {
            CalibrationImages = sampleConfig.Dataset.CalibrationImages,
            ValidationImages = sampleConfig.Dataset.ValidationImages,
        } };
        using var session = SupernetSession.Load(config, store: null);
        var accuracy = session.Accuracy();
        var progress = Progress.Start(
            $"predictors: accuracy with the sample's protocol ({session.Data.Calibration.Count} / {session.Data.Validation.Count} images)", genomes.Count);
        var full = new List<double>();
        foreach (var genome in genomes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            full.Add(accuracy.Evaluate(genome));
            progress.Step(full.Count);
        }

        return (QualityMetrics.Evaluate(full, [.. genomes.Select(g => table[g.Key])]), full.Min(), full.Max());
    }

    private static string RepeatNote((PredictionQuality Searched, PredictionQuality Median, double Ratio) repeat, string statistic) =>
        $"{repeat.Searched.Count} held-out sub-networks measured a second time give Kendall τ {repeat.Searched.KendallTau:F3} and MAPE "
        + $"{repeat.Searched.Mape * 100:F1} % against their first measurement ({repeat.Searched.Within10Percent * 100:F0} % within ±10 %; "
        + $"median ratio second/first {repeat.Ratio:F2}: other load on the machine shifts whole measurements) ({statistic}, the figure searches use; the median: τ "
        + $"{repeat.Median.KendallTau:F3}, MAPE {repeat.Median.Mape * 100:F1} %); no predictor can rank these sub-networks much better than "
        + "the data ranks itself.";

    private static string FidelityNote((PredictionQuality Quality, double Min, double Max) fidelity, BenchmarkSettings s) =>
        $"**Accuracy fidelity** (the noise ceiling): for {fidelity.Quality.Count} held-out sub-networks, the table's accuracy ({s.CalibrationImages} "
        + $"calibration / {s.ValidationImages} test images) against the sample's own protocol (2000 / 10,000) gives Kendall τ "
        + $"{fidelity.Quality.KendallTau:F3} (MAPE {fidelity.Quality.Mape * 100:F2} %); with that protocol these sub-networks span only "
        + $"{fidelity.Min:P2}–{fidelity.Max:P2}, so a test subset barely resolves their order, and neither can an accuracy predictor trained on it.";

    private static ResultTable CurveTable(List<CurveRow> rows, string metric, BenchmarkSettings s, string note)
    {
        var sizes = rows.Where(r => r.Metric == metric).Select(r => r.Size).Distinct().Order().ToList();
        var table = new List<string[]>();
        foreach (var predictor in Predictors)
        {
            foreach (var encoding in GenomeEncodings.Names)
            {
                foreach (var sampling in Samplings)
                {
                    var cells = sizes.Select(n => rows.SingleOrDefault(r => r.Metric == metric && r.Sampling == sampling && r.Predictor == predictor && r.Encoding == encoding && r.Size == n))
                        .Select(r => r is null ? "—" : $"{Cell.Of(r.Quality.KendallTau, "F2")} / {Cell.Of(r.Quality.Mape * 100, "F1")}");
                    table.Add([predictor, encoding, sampling, .. cells]);
                }
            }
        }

        return new ResultTable(
            $"predictors-{metric}",
            $"{char.ToUpperInvariant(metric[0])}{metric[1..]} predictors: Kendall τ / MAPE % on the held-out set vs training-set size",
            note,
            ["predictor", "encoding", "sampling", .. sizes.Select(n => $"n={n}")],
            table);
    }

    private static ResultTable FirstReachingTable(List<CurveRow> rows, BenchmarkSettings s)
    {
        var table = new List<string[]>();
        foreach (var predictor in Predictors)
        {
            foreach (var encoding in GenomeEncodings.Names)
            {
                var cells = new List<string>();
                foreach (var metric in Metrics)
                {
                    foreach (var sampling in Samplings)
                    {
                        var curve = rows.Where(r => r.Metric == metric && r.Sampling == sampling && r.Predictor == predictor && r.Encoding == encoding)
                            .OrderBy(r => r.Size).ToList();
                        var first = curve.FirstOrDefault(r => r.Quality.KendallTau >= TargetTau);
                        var best = curve.MaxBy(r => r.Quality.KendallTau);
                        cells.Add(first is not null
                            ? Cell.Of(first.Size)
                            : best is null ? "—" : $"not reached (best {Cell.Of(best.Quality.KendallTau, "F2")} at n={best.Size})");
                    }
                }

                table.Add([predictor, encoding, .. cells]);
            }
        }

        return new ResultTable(
            "predictors-tau-0.9",
            "Training-set size where Kendall τ first reaches 0.9",
            "Smallest n of the learning curves above with τ ≥ 0.9 on the held-out set; otherwise the best τ and where it was reached.",
            ["predictor", "encoding", "latency, random", "latency, balanced", "accuracy, random", "accuracy, balanced"],
            table);
    }

    private static async Task<List<LoopRow>> LoopsAsync(
        BenchmarkRun run, List<Genome> test, Dictionary<string, double> latencyOf, PredictorFactory factory, int maxSamples, CancellationToken cancellationToken)
    {
        var s = run.Settings;
        var space = run.Sample.Family;
        var measurement = new SampleLatency(run.Sample);
        var loops = new List<LoopRow>();
        var progress = Progress.Start("predictors: ESM loops to tau 0.9", LoopPairings.Length * 2);
        foreach (var (predictor, encoding) in LoopPairings)
        {
            foreach (var balanced in new[] { true, false })
            {
                // τ alone decides (MAPE target 100%), as the learning curves' first-reaching table does.
                var options = new EsmDatasetOptions
                {
                    BinCount = DepthBinCount,
                    InitialSamples = s.TrainingSizes[0],
                    ExtensionSamples = s.TrainingSizes[0],
                    MaxSamples = maxSamples,
                    HoldOutSamples = s.TestGenomes / 2,
                    TargetTau = TargetTau,
                    TargetMape = 1,
                    Balanced = balanced,
                    Seed = LoopSeed,
                };
                var builder = new EsmDatasetBuilder(
                    space, () => GenomePredictor.Create(space, predictor, encoding, new PredictorOptions { Seed = 1, CrossValidate = false }, factory), options);
                var dataset = await builder.BuildAsync(measurement, null, cancellationToken).ConfigureAwait(false);
                var onTest = dataset.Predictor.Evaluate(test, [.. test.Select(g => latencyOf[g.Key])]);
                loops.Add(new LoopRow(predictor, encoding, balanced, dataset, onTest));
                progress.Step(loops.Count, $"{predictor}/{encoding} {(balanced ? "balanced" : "uniform")} loop: n={dataset.Final.TotalSamples}, τ {dataset.Final.Quality.KendallTau:F3}");
            }
        }

        return loops;
    }

    private static ResultTable LoopTable(List<LoopRow> loops, List<CurveRow> rows, BenchmarkSettings s, int maxSamples)
    {
        string LoopCell(LoopRow loop)
        {
            var final = loop.Dataset.Final;
            var best = loop.Dataset.Rounds.MaxBy(r => double.IsNaN(r.Quality.KendallTau) ? double.NegativeInfinity : r.Quality.KendallTau)!;
            return loop.Dataset.Converged
                ? $"{Cell.Of(final.TotalSamples)} (τ {Cell.Of(final.Quality.KendallTau, "F2")}; on the curves' set {Cell.Of(loop.OnTest.KendallTau, "F2")})"
                : $"not reached (best {Cell.Of(best.Quality.KendallTau, "F2")} at n={best.TotalSamples}; on the curves' set {Cell.Of(loop.OnTest.KendallTau, "F2")})";
        }

        string FixedCell(string predictor, string encoding, string sampling)
        {
            var curve = rows.Where(r => r.Metric == "latency" && r.Sampling == sampling && r.Predictor == predictor && r.Encoding == encoding).OrderBy(r => r.Size).ToList();
            var first = curve.FirstOrDefault(r => r.Quality.KendallTau >= TargetTau);
            var best = curve.MaxBy(r => r.Quality.KendallTau);
            return first is not null ? Cell.Of(first.Size) : best is null ? "—" : $"not reached (best {Cell.Of(best.Quality.KendallTau, "F2")} at n={best.Size})";
        }

        return new ResultTable(
            "predictors-esm-loop",
            "Latency samples to Kendall τ 0.9: ESM's loop vs fixed training sets",
            $"The loop (`hwnas predictors build`'s, seed {LoopSeed}) starts from {s.TrainingSizes[0]} samples, adds {s.TrainingSizes[0]} per round "
            + $"(balanced: to the depth bins with the worst held-out MAPE; uniform: at random) and stops at τ ≥ {TargetTau} on its own depth-balanced "
            + $"held-out set of {s.TestGenomes / 2} sub-networks (drawn apart from the curves'), or at n = {maxSamples}; in parentheses its τ there and, "
            + "for the same predictor, on the learning curves' held-out set. The loop stops at the first round over the target, so its own τ is "
            + "optimistic; the curves' set is the independent check. The fixed columns are the first learning-curve size reaching τ ≥ 0.9 on the curves' held-out set "
            + $"(sizes {string.Join(", ", s.TrainingSizes)} only, so they are upper bounds at that granularity).",
            ["predictor", "encoding", "loop, balanced", "loop, uniform draws", "fixed random set", "fixed balanced set"],
            [.. LoopPairings.Select(p => new[]
            {
                p.Predictor,
                p.Encoding,
                LoopCell(loops.Single(l => l.Predictor == p.Predictor && l.Encoding == p.Encoding && l.Balanced)),
                LoopCell(loops.Single(l => l.Predictor == p.Predictor && l.Encoding == p.Encoding && !l.Balanced)),
                FixedCell(p.Predictor, p.Encoding, "random"),
                FixedCell(p.Predictor, p.Encoding, "balanced"),
            })]);
    }

    private static ResultTable FitTimeTable(List<CurveRow> rows, BenchmarkSettings s)
    {
        var sizes = rows.Select(r => r.Size).Distinct().Order().ToList();
        var table = Predictors.SelectMany(p => GenomeEncodings.Names.Select(e => new[] { p, e }.Concat(sizes.Select(n =>
        {
            var fits = rows.Where(r => r.Predictor == p && r.Encoding == e && r.Size == n).Select(r => r.FitSeconds).ToList();
            return fits.Count == 0 ? "—" : Cell.Of(Stats.Mean(fits), "F3");
        })).ToArray())).ToList();
        return new ResultTable(
            "predictors-fit-time",
            "Fit time (s) vs training-set size",
            "Mean over metrics and samplings of one fit's wall time on this machine.",
            ["predictor", "encoding", .. sizes.Select(n => $"n={n}")],
            table);
    }

    private static ResultTable LongTable(List<CurveRow> rows) =>
        new(
            "predictors-all",
            "Every fit (long form)",
            "One row per metric × sampling × size × predictor × encoding; the CSV is the data behind the tables above.",
            ["metric", "sampling", "predictor", "encoding", "n", "kendall_tau", "spearman_rho", "mape_%", "rmse", "within_5_%", "within_10_%", "fit_s"],
            [.. rows.Select(r => new[]
            {
                r.Metric, r.Sampling, r.Predictor, r.Encoding, Cell.Of(r.Size), Cell.Of(r.Quality.KendallTau, "F4"), Cell.Of(r.Quality.SpearmanRho, "F4"),
                Cell.Of(r.Quality.Mape * 100, "F3"), Cell.Of(r.Quality.Rmse, "G5"), Cell.Of(r.Quality.Within5Percent * 100, "F1"),
                Cell.Of(r.Quality.Within10Percent * 100, "F1"), Cell.Of(r.FitSeconds, "F4"),
            })],
            CsvOnly: true);

    private sealed record LoopRow(string Predictor, string Encoding, bool Balanced, EsmDataset Dataset, PredictionQuality OnTest);

    /// <summary>The sample's 1-thread latency (store-backed, so the loops share what the pools measured).</summary>
    private sealed class SampleLatency(LiveSample sample) : IGenomeMeasurement
    {
        public async Task<IReadOnlyList<double>> MeasureAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken) =>
            [.. (await sample.LatencyAsync(genomes, null, cancellationToken).ConfigureAwait(false)).Select(m => m.LatencyMs)];
    }

    private sealed record CurveRow(string Metric, string Sampling, string Predictor, string Encoding, int Size, PredictionQuality Quality, double FitSeconds);
}
