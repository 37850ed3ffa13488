using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Onnx;
using HwAwareNas.Tool.Pipeline;
using HwAwareNas.Torch.Evaluation;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// What a live validation costs: per sub-network, extraction + ONNX export + session creation against the timed
/// runs themselves (and the accuracy evaluation beside them); how <c>optimize</c>'s wall time and peak memory grow
/// with the validation budget; the peak memory of a short <c>train</c> run; and what <c>profile</c> costs and finds on
/// the full-size OFA MobileNetV3 at 224×224, whose sub-networks take milliseconds where the sample's take tenths of one.
/// </summary>
internal static class MeasurementCostSuite
{
    private const double Megabyte = 1024 * 1024;

    /// <summary>Runs the suite.</summary>
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var tables = new List<ResultTable> { await PerSubnetworkAsync(run, cancellationToken).ConfigureAwait(false) };
        tables.Add(await OptimizeBudgetsAsync(run, cancellationToken).ConfigureAwait(false));
        tables.Add(await TrainMemoryAsync(run, cancellationToken).ConfigureAwait(false));
        tables.Add(await FullSizeAsync(run, cancellationToken).ConfigureAwait(false));
        return tables;
    }

    private static async Task<ResultTable> PerSubnetworkAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var sample = run.Sample;
        var family = sample.Family;
        var network = sample.Session.Network;
        var device = sample.DeviceWith(1);

        // No store and no reference models: every model is measured now, and only its own cost is timed.
        var profiler = new OrtLatencyProfiler(device, sample.Config.Supernet.Input, new LatencyProfilerOptions(device.Measure, []));
        var accuracy = sample.Session.Accuracy();
        var genomes = new DepthBalancedSampler(family, new DepthBins(family, 5)).SampleBalanced(run.Settings.CostGenomes, new Random(7));
        var rows = new List<CostRow>();
        var progress = Progress.Start("cost: per sub-network stages", genomes.Count);
        foreach (var genome in genomes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            network.SetActive(genome);
            network.eval();
            var graph = network.ExtractActive();
            var extract = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var bytes = OnnxExporter.ToBytes(graph, OnnxExportOptions.ForFamily(family, genome, sample.Session.Preprocessing));
            var export = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var request = new ProfileRequest(genome.Key, family.Family, LiveEvaluator.SettingsHashOf(family), OnnxModel.FromBytes(bytes));
            var measured = (await profiler.ProfileAsync([request], null, cancellationToken).ConfigureAwait(false))[0];
            var profile = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            accuracy.Evaluate(genome);
            var evaluate = clock.Elapsed.TotalMilliseconds;
            var record = measured.Record;
            rows.Add(new CostRow(extract, export, record.SessionCreationMs, record.FirstInferenceMs, profile - record.SessionCreationMs, evaluate, record.Statistics.TrimmedMean));
            progress.Step(rows.Count);
        }

        var m = device.Measure;
        string[] Row(string stage, Func<CostRow, double> of) =>
        [
            stage,
            Cell.Of(Stats.Mean([.. rows.Select(of)]), "F2"),
            Cell.Of(Stats.Quantile([.. rows.Select(of)], 0.5), "F2"),
            Cell.Of(Stats.Quantile([.. rows.Select(of)], 0.9), "F2"),
            Cell.Of(Stats.Mean([.. rows.Select(r => of(r) / r.Total)]) * 100, "F1"),
        ];
        var overhead = rows.Select(r => (r.Extract + r.Export + r.Session) / (r.Extract + r.Export + r.Session + r.Measuring)).ToList();
        var note = (
            $"{rows.Count} depth-balanced random sub-networks (seed 7), measured without the store or reference models so every stage runs. "
            + $"Protocol: {m.Warmup} warm-up + {m.Runs} timed runs, batch {device.Batch}, {device.IntraOpThreads} thread; "
            + $"their latency: {Stats.Quantile([.. rows.Select(r => r.LatencyMs)], 0):F3}–{Stats.Quantile([.. rows.Select(r => r.LatencyMs)], 1):F3} ms. "
            + "'measuring' is the profiler's wall time less session creation (warm-up, timed runs, statistics). "
            + $"Accuracy: BatchNorm re-calibration on {sample.Session.Data.Calibration.Count} images + top-1 on {sample.Session.Data.Validation.Count}. "
            + $"**Overhead share** (extract + export + session) / (that + measuring): mean {Stats.Mean(overhead) * 100:F1} %, "
            + $"median {Stats.Quantile(overhead, 0.5) * 100:F1} %.");
        return new ResultTable(
            "cost-per-subnetwork",
            "Measurement cost per sub-network (ms)",
            note,
            ["stage", "mean_ms", "median_ms", "p90_ms", "share_of_validation_%"],
            [
                Row("extract sub-network (TorchSharp)", r => r.Extract),
                Row("export ONNX (BN folded, serialised)", r => r.Export),
                Row("create ORT session", r => r.Session),
                Row("first (cold) inference", r => r.FirstInference),
                Row("measuring (warm-up + timed runs)", r => r.Measuring),
                Row("accuracy (BN recalibration + validation)", r => r.Accuracy),
                Row("total per validation", r => r.Total),
            ]);
    }

    private static async Task<ResultTable> OptimizeBudgetsAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var rows = new List<string[]>();
        var budgets = run.Settings.OptimizeBudgets;
        var progress = Progress.Start("cost: optimize runs", budgets.Count);
        foreach (var budget in budgets)
        {
            // A fresh folder (and so an empty results store) per budget: every validation is measured.
            var folder = Path.Combine(run.WorkFolder, "optimize", string.Create(CultureInfo.InvariantCulture, $"budget-{budget}"));
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            var yaml = Path.Combine(folder, "hwnas.yaml");
            var config = BenchmarkConfig.Write(
                run.SampleYaml, yaml, run.Settings.OptimizeImages.Calibration, run.Settings.OptimizeImages.Validation, "ridge", budget);
            var child = await ChildRun.DotnetAsync([run.ToolDll, "optimize", yaml], folder, Path.Combine(folder, "optimize.log"), cancellationToken)
                .ConfigureAwait(false);
            var ok = child.ExitCode is 0 or 4;
            rows.Add(
            [
                Cell.Of(budget),
                Cell.Of(config.Search.Population),
                ok ? Cell.Of(child.Wall.TotalSeconds, "F1") : "failed",
                ok ? Cell.Of(child.Wall.TotalSeconds / budget, "F2") : "—",
                Cell.Of(child.PeakRssBytes / Megabyte, "F0"),
                Cell.Of(child.ExitCode),
            ]);
            progress.Step(rows.Count, string.Create(CultureInfo.InvariantCulture, $"budget {budget}: {child.Wall.TotalSeconds:F0} s, exit {child.ExitCode}"));
        }

        var note = "`dotnet hwnas optimize` on a copy of the sample's hwnas.yaml (ConcurrentNAS, the sample's device, constraints and "
            + $"population), changed only in: `search.validations` = the budget (the sample sets no iteration cap, so the budget binds), ridge predictors, and the accuracy subset "
            + $"({run.Settings.OptimizeImages.Calibration} calibration / {run.Settings.OptimizeImages.Validation} validation images instead of 2000 / 10000, "
            + "so the largest budget fits the hour). Each budget runs as its own process with an empty results store, so every validation "
            + "is measured; the time includes process start, loading the data and checkpoint, reference models, verification and reports. "
            + "Peak RSS is the process's VmHWM. Exit 4 means no sub-network met the constraints (outputs are still written).";
        return new ResultTable(
            "cost-optimize",
            "optimize: total time and peak memory vs validation budget",
            note,
            ["validations", "population", "wall_s", "s_per_validation", "peak_rss_mb", "exit"],
            rows);
    }

    private static async Task<ResultTable> TrainMemoryAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(run.WorkFolder, "train");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var yaml = Path.Combine(folder, "hwnas.yaml");
        BenchmarkConfig.Write(
            run.SampleYaml, yaml, run.Settings.CalibrationImages, run.Settings.ValidationImages, checkpoint: Path.Combine(folder, "supernet.ckpt"));
        var images = run.Settings.TrainImages;

        // The sample checkpoint's recipe (its training record), for one epoch over a leading subset of the images.
        string[] arguments =
        [
            run.ToolDll, "train", "-c", yaml, "--epochs", "1", "--train-images", images.ToString(CultureInfo.InvariantCulture),
            "--batch", "128", "--optimizer", "adamw", "--lr", "0.003", "--warmup-steps", "50", "--weight-decay", "0.01",
            "--random-subnets", "1", "--no-flip", "--epoch-val-images", "200", "--threads", "1", "--log-every", "1",
        ];
        var progress = Progress.Start("cost: train (peak memory)", 1);
        var child = await ChildRun.DotnetAsync(arguments, folder, Path.Combine(folder, "train.log"), cancellationToken).ConfigureAwait(false);
        progress.Step(1, string.Create(CultureInfo.InvariantCulture, $"{child.Wall.TotalSeconds:F0} s, exit {child.ExitCode}"));
        var steps = (images + 127) / 128;
        var note = (
            $"`dotnet hwnas train` with the sample checkpoint's recipe (batch 128, AdamW, largest + smallest + 1 random sub-network per step, "
            + $"in-place distillation) for one epoch over the first {images} training images ({steps} steps), into a scratch checkpoint. "
            + "wall_s and s_per_step include process start and data loading. The whole 60,000-image dataset is still loaded, so the peak holds what a full training holds apart from longer runs' allocator growth. "
            + "The full recipe (4 epochs of 60,000 images) took 45.5 min on this machine (samples/fashion-mnist/README.md).");
        return new ResultTable(
            "cost-train",
            "train: peak memory of a short run on the sample",
            note,
            ["training_images", "steps", "wall_s", "s_per_step", "peak_rss_mb", "exit"],
            [[
                Cell.Of(images), Cell.Of(steps), Cell.Of(child.Wall.TotalSeconds, "F1"), Cell.Of(child.Wall.TotalSeconds / steps, "F2"),
                Cell.Of(child.PeakRssBytes / Megabyte, "F0"), Cell.Of(child.ExitCode),
            ]]);
    }

    private static async Task<ResultTable> FullSizeAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        // A fresh folder (and so an empty results store): every sub-network is measured, and the times are what a user pays.
        var folder = Path.Combine(run.WorkFolder, "fullsize");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var (count, warmup, runs) = run.Settings.FullSize;
        var progress = Progress.Start("cost: full-size OFA MobileNetV3 (import, profile)", 3);

        // Latency does not depend on the weights: the product's own route to a timing-only checkpoint, seeded random weights.
        var import = await ChildRun.DotnetAsync(
            [run.ToolDll, "import", "--from", "random:1", "--family", "mobilenetv3", "-o", "ofa-random.ckpt"],
            folder, Path.Combine(folder, "import.log"), cancellationToken).ConfigureAwait(false);
        progress.Step(1, string.Create(CultureInfo.InvariantCulture, $"import {import.Wall.TotalSeconds:F0} s, exit {import.ExitCode}"));

        // profile reads no data; the dataset keys are required by the schema and name ImageNet's usual folders.
        var yaml = Path.Combine(folder, "hwnas.yaml");
        File.WriteAllText(yaml, string.Create(CultureInfo.InvariantCulture, $"""
            supernet:
              family: mobilenetv3
              checkpoint: ofa-random.ckpt
              input: [3, 224, 224]
              classes: 1000
            dataset:
              format: folder
              train: imagenet/train
              val: imagenet/val
            device:
              name: local-cpu
              provider: cpu
              threads: 1
              batch: 1
              measure:
                warmup: {warmup}
                runs: {runs}
                statistic: p10
            search:
              seed: 1
            """));
        var family = FamilyRegistry.Create("mobilenetv3", new FamilyOptions(FamilyOptions.ImageNetInput, FamilyOptions.ImageNetClasses));
        var extremes = Path.Combine(folder, "extremes.txt");
        File.WriteAllLines(extremes, [family.ToOfaNotation(family.Largest()), family.ToOfaNotation(family.Smallest())]);

        var rows = new List<string[]> { Row("import --from random:1 (checkpoint of random weights)", import, null) };
        var random = await ProfileAsync(count.ToString(CultureInfo.InvariantCulture), "random").ConfigureAwait(false);
        progress.Step(2, string.Create(CultureInfo.InvariantCulture, $"{count} random: {random.Child.Wall.TotalSeconds:F0} s, exit {random.Child.ExitCode}"));
        rows.Add(Row(string.Create(CultureInfo.InvariantCulture, $"profile --genomes {count} (random, seed 1)"), random.Child, random.Survey));
        var ends = await ProfileAsync(extremes, "extremes").ConfigureAwait(false);
        progress.Step(3, string.Create(CultureInfo.InvariantCulture, $"largest + smallest: {ends.Child.Wall.TotalSeconds:F0} s, exit {ends.Child.ExitCode}"));
        rows.Add(Row("profile largest, smallest", ends.Child, ends.Survey));

        var note = (
            "`dotnet hwnas import --from random:1 --family mobilenetv3` (OFA's MobileNetV3 w1.0 super-network: kernels 3/5/7, expand 3/4/6, "
            + "depth 2/3/4; 3×224×224, 1000 classes, seeded random weights), then `dotnet hwnas profile --json` on it with an empty results store: "
            + $"ONNX Runtime CPU, 1 thread, batch 1, graph optimisation all; {warmup} warm-up + {runs} timed runs in 5 rounds, latency = p10. "
            + "ρ is Spearman's between MACs and latency over the profiled sub-networks; in the last row the fastest is the smallest "
            + "sub-network and the slowest the largest. wall_s includes process start, loading the checkpoint, "
            + "the numeric self-check and, per sub-network, extraction, ONNX export and session creation. For comparison "
            + "(shared/ENVIRONMENT.md, OFA's own PyTorch export, ORT 1 thread): largest p10 15.8 ms, smallest 4.9 ms.");
        return new ResultTable(
            "cost-fullsize",
            "profile on the full-size OFA MobileNetV3 (w1.0, 224×224)",
            note,
            ["run", "sub_networks", "fastest_ms", "slowest_ms", "slowest_over_fastest", "rho_macs_latency", "wall_s", "s_per_sub_network", "peak_rss_mb", "exit"],
            rows);

        async Task<(ChildRun Child, JsonElement? Survey)> ProfileAsync(string genomes, string name)
        {
            var json = Path.Combine(folder, name + ".json");
            var child = await ChildRun.DotnetAsync(
                [run.ToolDll, "profile", "-c", yaml, "--genomes", genomes, "--json"],
                folder, Path.Combine(folder, name + ".log"), cancellationToken, json).ConfigureAwait(false);
            return (child, child.ExitCode == 0 ? JsonDocument.Parse(File.ReadAllText(json)).RootElement.Clone() : null);
        }

        static string[] Row(string what, ChildRun child, JsonElement? survey)
        {
            var latencies = survey?.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("latency_ms").GetDouble()).ToList() ?? [];
            var rho = survey?.GetProperty("spearman_macs_latency") is { ValueKind: JsonValueKind.Number } value ? Cell.Of(value.GetDouble()) : "—";
            string Latency(Func<List<double>, double> of, string format = "F3") => latencies.Count > 0 ? Cell.Of(of(latencies), format) : "—";
            return
            [
                what,
                latencies.Count > 0 ? Cell.Of(latencies.Count) : "—",
                Latency(l => l.Min()),
                Latency(l => l.Max()),
                Latency(l => l.Max() / l.Min(), "F2"),
                rho,
                Cell.Of(child.Wall.TotalSeconds, "F1"),
                latencies.Count > 0 ? Cell.Of(child.Wall.TotalSeconds / latencies.Count, "F2") : "—",
                Cell.Of(child.PeakRssBytes / Megabyte, "F0"),
                Cell.Of(child.ExitCode),
            ];
        }
    }

    private sealed record CostRow(double Extract, double Export, double Session, double FirstInference, double Measuring, double Accuracy, double LatencyMs)
    {
        public double Total => Extract + Export + Session + Measuring + Accuracy;
    }
}
