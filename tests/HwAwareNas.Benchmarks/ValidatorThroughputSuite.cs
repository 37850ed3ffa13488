using System.Diagnostics;
using System.Globalization;
using HwAwareNas.Cluster.Caller;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.TestSupport;
using HwAwareNas.Tool.Pipeline;
using static System.FormattableString;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// Validator silos on real processes: how fast batches of the sample's sub-networks are validated (BatchNorm
/// re-calibration + top-1 on the benchmark's image subsets) by one validator and by two (one thread each, each pinned to
/// its own core), through the product's <see cref="DistributedAccuracyEvaluator"/> with this machine not validating
/// (<c>validation.local: false</c>), so that only the validator processes are compared. Each configuration has its own
/// fleet (Redis, certificates) and an empty results store, so every genome of a timed batch is really validated.
/// </summary>
internal static class ValidatorThroughputSuite
{
    private const string Solo = "1 validator";
    private const string Pair = "2 validators";

    /// <summary>Runs the suite.</summary>
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var sample = run.Sample;
        var s = run.Settings.Validators;
        var cores = Environment.ProcessorCount;
        var uptimeBefore = Uptime();
        void Notice(string line) => Progress.Note("validators: " + line);

        // Fresh genomes for the warm-up and for every repetition; within a repetition both configurations get the same.
        var genomes = Distinct(sample, s.WarmupGenomes + (s.Repetitions * s.BatchSize), new Random(29));
        var warmup = genomes.Take(s.WarmupGenomes).ToList();
        var batches = Enumerable.Range(0, s.Repetitions).Select(r => genomes.Skip(s.WarmupGenomes + (r * s.BatchSize)).Take(s.BatchSize).ToList()).ToList();

        var startClock = Stopwatch.StartNew();
        await using var soloFleet = await AgentFleet.StartAsync(withRedis: true).ConfigureAwait(false);
        await using var pairFleet = await AgentFleet.StartAsync(withRedis: true).ConfigureAwait(false);
        var pairCores = cores >= 2 ? new[] { 0, 1 } : [0];
        await soloFleet.StartValidatorAsync("solo-0", core: 0).ConfigureAwait(false);
        await Task.WhenAll(pairCores.Select(c => pairFleet.StartValidatorAsync(string.Create(CultureInfo.InvariantCulture, $"pair-{c}"), core: c))).ConfigureAwait(false);
        var startS = startClock.Elapsed.TotalSeconds;

        await using var solo = await OpenAsync(run, soloFleet, "solo", Notice, cancellationToken).ConfigureAwait(false);
        await using var pair = await OpenAsync(run, pairFleet, "pair", Notice, cancellationToken).ConfigureAwait(false);
        var evaluators = new Dictionary<string, Opened>(StringComparer.Ordinal) { [Solo] = solo, [Pair] = pair };

        // Untimed warm-up: inputs uploaded, the super-network and data loaded on every validator, JIT; the pair until
        // both of its validators took work.
        var warmClock = Stopwatch.StartNew();
        await solo.Evaluator.EvaluateAsync(warmup, cancellationToken).ConfigureAwait(false);
        await pair.Evaluator.EvaluateAsync(warmup, cancellationToken).ConfigureAwait(false);
        for (var extra = 0; pair.Evaluator.ValidatedBy.Count < pairCores.Length && extra < 5; extra++)
        {
            await pair.Evaluator.EvaluateAsync(Distinct(sample, 2 * pairCores.Length, new Random(1000 + extra)), cancellationToken).ConfigureAwait(false);
        }

        var warmS = warmClock.Elapsed.TotalSeconds;
        if (pair.Evaluator.ValidatedBy.Count < pairCores.Length)
        {
            throw new InvalidOperationException($"Only {pair.Evaluator.ValidatedBy.Count} of {pairCores.Length} validators took work in the warm-up.");
        }

        var progress = Progress.Start("validators: timed batches", 2 * s.Repetitions);
        var timed = new List<Timed>();
        string[] order = [Solo, Pair];
        for (var r = 0; r < s.Repetitions; r++)
        {
            for (var k = 0; k < order.Length; k++)
            {
                var name = order[(r + k) % order.Length];
                var evaluator = evaluators[name].Evaluator;
                var load = MachineFacts.LoadAverage().Split(" / ")[0];
                var before = evaluator.ValidatedBy.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                var clock = Stopwatch.StartNew();
                await evaluator.EvaluateAsync(batches[r], cancellationToken).ConfigureAwait(false);
                var wall = clock.Elapsed.TotalSeconds;
                var by = evaluator.ValidatedBy.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key), StringComparer.Ordinal);
                if (by.Values.Sum() != s.BatchSize)
                {
                    throw new InvalidOperationException($"{name} validated {by.Values.Sum()} of {s.BatchSize} genomes: the store was not empty.");
                }

                timed.Add(new Timed(r + 1, k + 1, name, wall, load, by));
                progress.Step((2 * r) + k + 1, string.Create(CultureInfo.InvariantCulture, $"rep {r + 1} {name}: {wall:F2} s"));
            }
        }

        var uptimeAfter = Uptime();
        var header = string.Concat(
            Invariant($"**Machine**: {cores} logical cores; `uptime` when the suite started: `{uptimeBefore}`; when it ended: `{uptimeAfter}` (other builds may share the machine: the 1-minute load before each batch is in validators-repetitions.csv). "),
            Invariant($"**Processes**: every validator is a real `hwnas agent --role validator --threads 1` process (the full tool, Release, ONEDNN_MAX_CPU_ISA capped as always) pinned to one core with `taskset -c` and in a session of its own (`setsid`: under the kernel's autogroup scheduling each validator competes with other jobs as its own group, as on a machine of its own) — the 1-validator fleet's on core 0, "),
            Invariant($"the 2-validator fleet's on cores {string.Join(" and ", pairCores)} — each fleet with its own `redis-server` and certificates (mutual TLS on loopback); the caller is this process, not pinned, and does not validate (`validation.local: false`). "),
            Invariant($"**Settings**: batches of {s.BatchSize} distinct random sub-networks of the sample (seed 29), fresh for each of {s.Repetitions} repetitions and the same for both configurations within one; configurations alternated, their order swapped each repetition. "),
            Invariant($"A validation: BatchNorm re-calibration on {sample.Config.Dataset.CalibrationImages} training images (TorchSharp) + top-1 on {sample.Config.Dataset.ValidationImages} validation images (ONNX Runtime), one thread. "),
            Invariant($"Before timing, each configuration validated {s.WarmupGenomes} other sub-networks untimed (uploads of the checkpoint and Fashion-MNIST by SHA-256, loading, JIT): {warmS:F1} s; starting the {1 + pairCores.Length} validators took {startS:F1} s. "),
            "Each configuration writes to its own empty results store, so every timed genome is validated (checked).");
        return [ThroughputTable(timed, s, header, pairCores.Length), RepetitionsTable(timed, s)];
    }

    private static async Task<Opened> OpenAsync(BenchmarkRun run, AgentFleet fleet, string name, Action<string> notice, CancellationToken cancellationToken)
    {
        // The product's route: the sample's config with a validation section naming the fleet (through its Redis).
        var folder = Path.Combine(run.WorkFolder, "validators", name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var yaml = Path.Combine(folder, "hwnas.yaml");
        File.WriteAllText(yaml, File.ReadAllText(run.Sample.Config.SourcePath) + "\n" + fleet.ValidationYaml(local: false, wait: "60s") + "\n");
        var config = HwNasConfigLoader.Load(yaml);
        var store = ResultsStore.Open(Path.Combine(folder, "results.db"));
        var validation = await AccuracyValidation.OpenAsync(config, run.Sample.Session, store, notice, cancellationToken).ConfigureAwait(false);
        return new Opened(validation.Distributed ?? throw new InvalidOperationException("The benchmark's config names no validators."), store);
    }

    private static List<Genome> Distinct(LiveSample sample, int count, Random random)
    {
        var genomes = new Dictionary<string, Genome>(StringComparer.Ordinal);
        while (genomes.Count < count)
        {
            var genome = sample.Family.Canonicalize(sample.Family.Sample(random));
            genomes.TryAdd(genome.Key, genome);
        }

        return [.. genomes.Values];
    }

    private static string Uptime()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("uptime") { RedirectStandardOutput = true })!;
            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "load average " + MachineFacts.LoadAverage();
        }
    }

    private static ResultTable ThroughputTable(List<Timed> timed, ValidatorBenchmarkSettings s, string header, int pairValidators)
    {
        List<double> Walls(string name) => [.. timed.Where(t => t.Name == name).Select(t => t.WallS)];
        var soloMedian = Stats.Quantile(Walls(Solo), 0.5);
        List<double> Ratios(string name) =>
            [.. timed.Where(t => t.Name == name).Select(t => timed.Single(o => o.Repetition == t.Repetition && o.Name == Solo).WallS / t.WallS)];
        string[] Row(string name, string where)
        {
            var w = Walls(name);
            var median = Stats.Quantile(w, 0.5);
            var ratios = Ratios(name);
            var by = string.Join(" / ", timed.Where(t => t.Name == name).SelectMany(t => t.By).GroupBy(p => p.Key).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Sum(p => p.Value)}")));
            return
            [
                name, where, Cell.Of(s.BatchSize), Cell.Of(w.Count), Cell.Of(median, "F2"), $"{Cell.Of(w.Min(), "F2")}–{Cell.Of(w.Max(), "F2")}",
                Cell.Of(s.BatchSize / median, "F2"), Cell.Of(soloMedian / median, "F2"), $"{Cell.Of(ratios.Min(), "F2")}–{Cell.Of(ratios.Max(), "F2")}",
                string.Join(" ", timed.Where(t => t.Name == name).Select(t => t.Load1)), by,
            ];
        }

        var speedup = soloMedian / Stats.Quantile(Walls(Pair), 0.5);
        var note = header + " " + string.Create(CultureInfo.InvariantCulture, $"**Speed-up of {pairValidators} validators over 1**: {speedup:F2}× (ratio of the median wall times); ")
            + (pairValidators < 2 ? "this machine has one core, so the pair is one validator too." : speedup >= 1.7 ? "the target of ≥ 1.7× is met." : "below the target of 1.7×.")
            + " wall_s: `EvaluateAsync` of the whole batch (one validation call per genome, results stored as they arrive). genomes_per_s: batch size ÷ median wall. "
            + "speedup_per_repetition: the 1-validator wall ÷ the row's wall on the same genomes. load_1min: before each batch. validated_by: genomes per validator over all repetitions.";
        return new ResultTable(
            "validators-throughput",
            string.Create(CultureInfo.InvariantCulture, $"Validation throughput: a batch of {s.BatchSize} sub-networks on 1 vs {pairValidators} validators (1 thread each)"),
            note,
            ["configuration", "processes", "genomes_per_batch", "repetitions", "wall_s_median", "wall_s_min_max", "genomes_per_s", "speedup_vs_1", "speedup_per_repetition", "load_1min", "validated_by"],
            [Row(Solo, "1 validator on core 0"), Row(Pair, pairValidators == 2 ? "2 validators on cores 0, 1" : "1 validator on core 0")]);
    }

    private static ResultTable RepetitionsTable(List<Timed> timed, ValidatorBenchmarkSettings s) => new(
        "validators-repetitions",
        "Every timed batch",
        "In run order; load_1min: the 1-minute load average just before the batch.",
        ["repetition", "position", "configuration", "genomes", "wall_s", "genomes_per_s", "validated_by", "load_1min"],
        [.. timed.Select(t => new[]
        {
            Cell.Of(t.Repetition), Cell.Of(t.Position), t.Name, Cell.Of(s.BatchSize), Cell.Of(t.WallS, "F3"), Cell.Of(s.BatchSize / t.WallS, "F2"),
            string.Join(" / ", t.By.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value}"))), t.Load1,
        })]);

    private sealed record Timed(int Repetition, int Position, string Name, double WallS, string Load1, IReadOnlyDictionary<string, int> By);

    /// <summary>One configuration's evaluator and its own results store.</summary>
    private sealed record Opened(DistributedAccuracyEvaluator Evaluator, ResultsStore Store) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Evaluator.DisposeAsync().ConfigureAwait(false);
            Store.Dispose();
        }
    }
}
