using System.Diagnostics;
using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.OfaBench;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Study;
using HwAwareNas.Tool.Pipeline;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// One strategy the ofa suite compares.
/// </summary>
/// <param name="Name">Its name in the tables.</param>
/// <param name="Configure">How it changes the product's default search options (strategy, predictors, sizes, ...).</param>
/// <param name="Sampling">How full and concurrent draw the sub-networks no surrogate proposed.</param>
/// <param name="PerBudget">
/// Whether its runs depend on the budget beyond stopping earlier (full splits it between samples and verification): it is
/// then run once per budget; otherwise once at the largest budget and read at each budget from its first trials.
/// </param>
internal sealed record OfaStrategy(string Name, Func<SearchOptions, SearchOptions> Configure, SubnetSampling Sampling = SubnetSampling.Balanced, bool PerBudget = false);

/// <summary>
/// The deterministic OFA MobileNetV3 w1.0 benchmark: every strategy × seeds × validation budgets on a fixed oracle —
/// ImageNet top-1 from DyNAS-T's published search logs (<see cref="OfaAccuracyOracle"/>) and this machine's ORT latency
/// from a per-layer table (<see cref="OfaLatencyMeasurement"/>) — against the front of everything evaluated plus a long
/// NSGA-II on the oracle. Validations cost nothing here, so the comparison is about how many each strategy needs.
/// </summary>
internal static class OfaSearchSuite
{
    private static readonly PredictorOptions Ridge = new(PredictorKind.Ridge, PredictorKind.Ridge);

    /// <summary>
    /// The strategies compared, in table order; add variants here (the baseline of the ratios is <see cref="Baseline"/>).
    /// Each starts from the product's defaults (<see cref="ProductDefaults"/>: since issue #18 ridge for latency and
    /// ridge-gbdt for accuracy) with the budget and seed of the run. <c>auto</c> is not among them: it cross-validates every
    /// predictor including two TorchSharp MLPs at every refit, which took 70 s per 200-validation concurrent run here and
    /// would take hours for 10 seeds × 1,000 validations.
    /// </summary>
    internal static readonly IReadOnlyList<OfaStrategy> Strategies =
    [
        new("random", o => o with { Strategy = SearchStrategy.Random }),
        new("evolutionary", o => o with { Strategy = SearchStrategy.Evolutionary }),
        new("full", o => o with { Strategy = SearchStrategy.Full }, PerBudget: true),
        new("warm-start", o => o with { Strategy = SearchStrategy.WarmStart }),
        new("concurrent", o => o with { Strategy = SearchStrategy.Concurrent }),

        // The accuracy predictor's lever: the same acquisition with ridge alone for accuracy (the default before ridge-gbdt).
        new("concurrent-ridge", o => o with { Strategy = SearchStrategy.Concurrent, Predictors = Ridge }),

        // DyNAS-T's acquisition (measure the inner search's final population) with ridge, the product's before issue #18.
        new("concurrent-population", o => o with { Strategy = SearchStrategy.Concurrent, Acquisition = SearchAcquisition.Population, Predictors = Ridge }),
    ];

    /// <summary>The strategy every ratio divides by.</summary>
    internal const string Baseline = "evolutionary";

    private const int OracleSeed = 1;
    private const int WarmSourceSeed = 1000;
    private const int ReferenceSeed = 99;
    private static readonly double[] Thresholds = [0.90, 0.95, 0.98];

    /// <summary>Runs the suite.</summary>
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var s = run.Settings.Ofa;
        var family = FamilyRegistry.Create(MobileNetV3Family.Name);
        var dataFolder = Path.GetFullPath(run.Options.OfaData ?? Path.Combine(run.Root, "..", "shared", "data", "ofa-mbv3-imagenet"));
        var clock = Stopwatch.StartNew();
        var logs = OfaSearchLogs.ReadFolder(dataFolder, family);
        using var oracle = OfaAccuracyOracle.Fit(family, logs, OracleSeed);
        var oracleSeconds = clock.Elapsed.TotalSeconds;
        Progress.Note(string.Create(CultureInfo.InvariantCulture, $"ofa: accuracy oracle {oracle.Model} on {logs.Count} logged sub-networks in {oracleSeconds:F0} s"));

        var device = run.Sample.DeviceWith(1);
        var latency = await OfaLatencyMeasurement.LoadOrMeasureAsync(
            family, device, MachineFacts.Describe(OrtLatencyProfiler.CreateFingerprint(device, new InputShape(3, 224, 224)), run.Root), Path.Combine(run.Root, "benchmarks", "ofa"),
            run.Options.RemeasureOfaLatency, cancellationToken).ConfigureAwait(false);
        var evaluator = new OfaOracleEvaluator(family, oracle, latency.Table);
        var defaults = ProductDefaults();

        // warm-start's source: NSGA-II for another device, one whose latency follows MACs (its validations are not counted).
        var source = await SearchAsync(family, new MacsAsLatency(family, evaluator), defaults with
        {
            Strategy = SearchStrategy.Evolutionary, Validations = s.WarmSourceValidations, Iterations = s.WarmSourceValidations, Seed = WarmSourceSeed,
        }, null, SubnetSampling.Balanced, cancellationToken).ConfigureAwait(false);
        var warm = WarmStartSearch.FromStudy(source.Storage);

        // Runs are independent (own study, own seed; the oracle is a fixed function), so they run side by side, one per core,
        // the longest first; the results do not depend on the order they finish in.
        var maxBudget = s.Budgets[^1];
        var jobs = Strategies
            .SelectMany(strategy => Enumerable.Range(1, s.Seeds).SelectMany(seed =>
                (strategy.PerBudget ? s.Budgets : [strategy.Name == Baseline ? Math.Max(maxBudget, s.BaselineBudget) : maxBudget])
                    .Select(budget => (Strategy: strategy, Seed: seed, Budget: budget))))
            .OrderByDescending(j => j.Strategy.Name.StartsWith("concurrent", StringComparison.Ordinal))
            .ThenByDescending(j => j.Budget)
            .ToList();
        var runs = new List<OfaRun>();
        var progress = Progress.Start("ofa: runs", jobs.Count);
        await Parallel.ForEachAsync(
            jobs,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (job, token) =>
            {
                var options = Configured(job.Strategy, defaults with { Validations = job.Budget, Iterations = job.Budget, Seed = job.Seed }, defaults);
                var record = await SearchAsync(family, evaluator, options, options.Strategy == SearchStrategy.WarmStart ? warm : null, job.Strategy.Sampling, token)
                    .ConfigureAwait(false);
                lock (runs)
                {
                    runs.Add(new OfaRun(job.Strategy.Name, job.Seed, job.Budget, record.Trials, record.Wall));
                    progress.Step(runs.Count, string.Create(
                        CultureInfo.InvariantCulture, $"{job.Strategy.Name} seed {job.Seed} budget {job.Budget}: {record.Trials.Count} validations in {record.Wall.TotalSeconds:F1} s"));
                }
            }).ConfigureAwait(false);
        runs.Sort((a, b) => (a.Name, a.Seed, a.Budget).CompareTo((b.Name, b.Seed, b.Budget)));

        var reference = await SearchAsync(family, evaluator, defaults with
        {
            Strategy = SearchStrategy.Evolutionary, Population = s.ReferencePopulation, Validations = s.ReferencePopulation * s.ReferenceGenerations,
            Iterations = s.ReferenceGenerations, Seed = ReferenceSeed, Mutation = 1.0 / s.ReferencePopulation,
        }, null, SubnetSampling.Balanced, cancellationToken).ConfigureAwait(false);
        Progress.Note(string.Create(CultureInfo.InvariantCulture, $"ofa: reference NSGA-II, {reference.Trials.Count} evaluations in {reference.Wall.TotalSeconds:F0} s"));

        var objectives = evaluator.Objectives;
        var front = ParetoFront.Of(objectives, runs.SelectMany(r => r.Trials).Concat(reference.Trials));
        var point = ReferencePoint.Nadir(objectives, front);
        var target = front.Hypervolume(point);
        var context = Context(run, family, oracle, latency, defaults, source, warm, reference, front, point);
        return
        [
            ThresholdTable(run, runs, objectives, point, target, context),
            CurveTable(run, runs, objectives, point, target),
            SummaryTable(run, runs, objectives, point, target, defaults),
            OracleTable(oracle, logs, oracleSeconds, dataFolder),
            LatencyTable(latency, evaluator, family),
        ];
    }

    /// <summary>
    /// The live sample's threshold table (the <c>search</c> suite of the same run) beside this suite's, strategy by
    /// strategy: validations to 90 and 95 % and the ratios to <see cref="Baseline"/>.
    /// </summary>
    internal static ResultTable SideBySide(IReadOnlyList<ResultTable> liveTables, IReadOnlyList<ResultTable> ofaTables)
    {
        var live = liveTables.Single(t => t.FileName == "search-thresholds");
        var ofa = ofaTables.Single(t => t.FileName == "ofa-thresholds");
        string[] columns = ["to 90 %", "to 95 %", "ratio 90 %", "ratio 95 %"];
        static string[] Cells(ResultTable table, string strategy, string[] columns) =>
            table.Rows.FirstOrDefault(r => r[0] == strategy) is { } row
                ? [.. columns.Select(c => row[table.Columns.ToList().IndexOf(c)])]
                : [.. columns.Select(_ => "—")];
        return new ResultTable(
            "ofa-vs-live",
            "The same strategies live on the sample and on the OFA oracle",
            "Live: the `search` suite of this run (Fashion-MNIST sample, live ORT latency and live accuracy on 1,000 images, its smaller "
            + "budget and seeds); OFA: this suite (oracle, its budget and seeds). Each side's ratio is to its own `evolutionary`.",
            ["strategy", .. columns.Select(c => "live " + c), .. columns.Select(c => "ofa " + c)],
            [.. Strategies.Select(x => (string[])[x.Name, .. Cells(live, x.Name, columns), .. Cells(ofa, x.Name, columns)])]);
    }

    /// <summary>The search options a fresh hwnas.yaml gets: every search key's documented default (ConfigKeys).</summary>
    internal static SearchOptions ProductDefaults()
    {
        object Default(string key) => ConfigKeys.Find("search." + key)?.Default ?? throw new InvalidOperationException($"search.{key} has no default.");
        T Choice<T>(string key)
            where T : struct, Enum => Enum.Parse<T>(((string)Default(key)).Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
        var population = Convert.ToInt32(Default("population"), CultureInfo.InvariantCulture);
        return new SearchOptions(
            Choice<SearchStrategy>("strategy"),
            population,
            ConfigKeys.Find("search.iterations")?.Default is { } iterations ? Convert.ToInt32(iterations, CultureInfo.InvariantCulture) : null,
            Convert.ToInt32(Default("inner_generations"), CultureInfo.InvariantCulture),
            Convert.ToInt32(Default("validations"), CultureInfo.InvariantCulture),
            WarmStartMode.None,
            null,
            new PredictorOptions(Choice<PredictorKind>("predictors.latency"), Choice<PredictorKind>("predictors.accuracy")),
            Convert.ToDouble(Default("crossover"), CultureInfo.InvariantCulture),
            1.0 / population,
            Convert.ToInt32(Default("seed"), CultureInfo.InvariantCulture),
            null,
            false,
            Choice<SearchAcquisition>("acquisition"),
            Convert.ToInt32(Default("batch"), CultureInfo.InvariantCulture),
            Convert.ToInt32(Default("first_batch"), CultureInfo.InvariantCulture),
            Convert.ToDouble(Default("batch_share"), CultureInfo.InvariantCulture),
            Convert.ToDouble(Default("exploration"), CultureInfo.InvariantCulture));
    }

    // A variant that changes the population keeps hwnas.yaml's default mutation rule (1/population) unless it sets its own.
    private static SearchOptions Configured(OfaStrategy strategy, SearchOptions options, SearchOptions defaults)
    {
        var configured = strategy.Configure(options);
        return configured.Mutation == defaults.Mutation ? configured with { Mutation = 1.0 / configured.Population } : configured;
    }

    private static async Task<(IReadOnlyList<EvaluatedCandidate> Trials, InMemoryStudyStorage Storage, TimeSpan Wall)> SearchAsync(
        IElasticFamily family, IEvaluator evaluator, SearchOptions options, IReadOnlyList<Genome>? warmStart, SubnetSampling sampling,
        CancellationToken cancellationToken)
    {
        var storage = new InMemoryStudyStorage();
        var context = new SearchContext(family, evaluator, [], storage, options.Seed);
        var clock = Stopwatch.StartNew();
        await StrategyFactory.Create(options, family, warmStart, sampling: sampling).RunAsync(context, cancellationToken).ConfigureAwait(false);
        return (context.MeasuredTrials(), storage, clock.Elapsed);
    }

    // Hypervolume fraction of one seed's front after n validations: its run at that budget, or the first n trials of its one run.
    private static double FractionAt(IReadOnlyList<OfaRun> seedRuns, int n, IReadOnlyList<Objective> objectives, double[] point, double target)
    {
        var atBudget = seedRuns.FirstOrDefault(r => r.Budget == n);
        var trials = atBudget is not null && seedRuns.Count > 1 ? atBudget.Trials : seedRuns[0].Trials.Take(n);
        return ReferencePoint.HypervolumeOf(objectives, trials, point) / target;
    }

    private static int? FirstReaching(IReadOnlyList<OfaRun> seedRuns, IReadOnlyList<Objective> objectives, double[] point, double level) =>
        seedRuns.OrderBy(r => r.Budget)
            .Select(r => HypervolumeThresholds.FirstReaching(objectives, r.Trials, point, level))
            .FirstOrDefault(n => n is not null);

    private static IEnumerable<IReadOnlyList<OfaRun>> SeedsOf(IReadOnlyList<OfaRun> runs, string name) =>
        runs.Where(r => r.Name == name).GroupBy(r => r.Seed).Select(g => (IReadOnlyList<OfaRun>)[.. g]);

    private static ResultTable ThresholdTable(BenchmarkRun run, List<OfaRun> runs, IReadOnlyList<Objective> objectives, double[] point, double target, string context)
    {
        var firsts = Strategies.ToDictionary(
            x => x.Name,
            x => Thresholds.Select(t => SeedsOf(runs, x.Name).Select(seed => FirstReaching(seed, objectives, point, t * target)).ToList()).ToList());
        return HypervolumeThresholds.Table(
            "ofa-thresholds", "OFA MobileNetV3 (oracle): validations to reach 90 / 95 / 98 % of the reference hypervolume", context,
            [.. Strategies.Select(x => x.Name)], firsts, Thresholds, run.Settings.Ofa.Seeds, Baseline);
    }

    private static ResultTable CurveTable(BenchmarkRun run, List<OfaRun> runs, IReadOnlyList<Objective> objectives, double[] point, double target)
    {
        var budgets = run.Settings.Ofa.Budgets;
        var fractions = Strategies.ToDictionary(
            x => x.Name,
            x => budgets.Select(n => SeedsOf(runs, x.Name).Select(seed => FractionAt(seed, n, objectives, point, target)).ToList()).ToList());
        var rows = budgets.Select((n, i) => (string[])[Cell.Of(n), .. Strategies.Select(x => Cell.MeanStdev(fractions[x.Name][i], "F4"))]).ToList();
        var series = Strategies.Select(x => new CurveSeries(
            x.Name, [.. fractions[x.Name].Select(f => Stats.Mean(f))], [.. fractions[x.Name].Select(f => Stats.Stdev(f))])).ToList();
        var svg = CurvePlot.Svg(
            "OFA MobileNetV3 w1.0 (oracle): hypervolume ÷ reference vs validations", "validations", "hypervolume fraction (mean ± stdev over seeds)", budgets, series);
        return new ResultTable(
            "ofa-curves",
            "OFA MobileNetV3 (oracle): hypervolume of the validated front ÷ reference hypervolume, vs validations",
            $"Mean ± stdev over {run.Settings.Ofa.Seeds} seeds. `full` is run at each budget (it splits its budget between samples and "
            + "verification); the others once at the largest budget, read at each budget from their first trials.",
            ["validations", .. Strategies.Select(x => x.Name)],
            rows,
            Figure: new ResultFigure("ofa-curves.svg", svg));
    }

    private static ResultTable SummaryTable(BenchmarkRun run, List<OfaRun> runs, IReadOnlyList<Objective> objectives, double[] point, double target, SearchOptions defaults)
    {
        var budget = run.Settings.Ofa.Budgets[^1];
        var rows = Strategies.Select(x =>
        {
            var options = Configured(x, defaults with { Validations = budget, Iterations = budget }, defaults);
            // Every run read at the largest budget (the baseline's longer runs cut there).
            var finals = SeedsOf(runs, x.Name)
                .Select(seed => seed.FirstOrDefault(r => r.Budget == budget) ?? seed[0] with { Trials = [.. seed[0].Trials.Take(budget)] })
                .ToList();
            return new[]
            {
                x.Name,
                $"{StrategyFactory.Describe(options)}; sampling {x.Sampling.ToString().ToLowerInvariant()}",
                Cell.MeanStdev([.. finals.Select(r => (double)r.Trials.Count)], "F0"),
                Cell.MeanStdev([.. finals.Select(r => ReferencePoint.HypervolumeOf(objectives, r.Trials, point) / target)], "F4"),
                Cell.MeanStdev([.. finals.Select(r => r.Trials.Max(c => c.Values[0]) * 100)], "F2"),
                Cell.MeanStdev([.. finals.Select(r => r.Wall.TotalSeconds)], "F1"),
                Cell.Of(runs.Where(r => r.Name == x.Name).Sum(r => r.Wall.TotalSeconds), "F0"),
            };
        }).ToList();
        return new ResultTable(
            "ofa-summary",
            "OFA MobileNetV3 (oracle): what ran, and the runs at the largest budget",
            $"Settings: the product's defaults (hwnas.yaml's documented `search.*` defaults) with `validations` and `iterations` set to the budget "
            + $"({budget}), seeds 1–{run.Settings.Ofa.Seeds}, no constraints; `{Baseline}` runs to {Math.Max(budget, run.Settings.Ofa.BaselineBudget)} validations "
            + "(read here at the first ones). wall_s: one run's wall time (predictor fits and NSGA-II on predictors; oracle look-ups are cheap); "
            + "all_runs_s: every run of the strategy.",
            ["strategy", "settings", "validations", "final_hv_ratio", "best_top1_%", "wall_s", "all_runs_s"],
            rows);
    }

    private static ResultTable OracleTable(OfaAccuracyOracle oracle, IReadOnlyList<LoggedSubnet> logs, double seconds, string folder)
    {
        var rows = oracle.Quality.Select(q => new[]
        {
            q.Model.ToString(), Cell.Of(q.Quality.KendallTau), Cell.Of(q.Quality.SpearmanRho), Cell.Of(q.Quality.Mape * 100, "F3"),
            Cell.Of(q.Quality.Rmse * 100, "F3"), q.Chosen ? "**chosen**" : string.Empty,
        }).ToList();
        var accuracies = logs.Select(l => l.Accuracy * 100).ToList();
        return new ResultTable(
            "ofa-oracle",
            "OFA MobileNetV3 accuracy oracle: held-out quality of the candidate models",
            $"{logs.Count} distinct sub-networks ({logs.Sum(l => l.Repeats)} rows) from DyNAS-T's published search logs over OFA's "
            + $"`ofa_mbv3_d234_e346_k357_w1.0` at 224×224 (Intel Labs, Apache-2.0; {Path.GetFileName(folder)}), top-1 "
            + $"{accuracies.Min():F2}–{accuracies.Max():F2} %. Seeded split (seed {oracle.Seed}): {oracle.HeldOutCount} held out, the rest fitted; "
            + "the model with the best held-out Kendall τ is refitted on all of them and answers every sub-network that is not logged "
            + $"(logged ones answer with their logged mean). Fitting and choosing took {seconds:F0} s. The logs come from searches, so they "
            + "crowd near the accuracy–MACs front: held-out τ is measured there, not on uniformly random sub-networks.",
            ["model", "kendall_tau", "spearman_rho", "mape_%", "rmse_pp", "chosen"],
            rows);
    }

    private static ResultTable LatencyTable(OfaLatencyData latency, OfaOracleEvaluator evaluator, IElasticFamily family)
    {
        var check = latency.Live.Where(l => l.Role == OfaLatencyMeasurement.CheckRole).ToList();
        var live = check.Select(l => l.LiveMs).ToList();
        var withOverhead = latency.CheckQuality();
        var sumOnly = Predictors.Metrics.QualityMetrics.Evaluate(live, [.. check.Select(l => l.LayerSumMs)]);
        var fit = latency.Live.Where(l => l.Role == OfaLatencyMeasurement.FitRole).ToList();
        var gap = fit.Average(l => l.LiveMs - l.LayerSumMs);
        var overheadOnly = Predictors.Metrics.QualityMetrics.Evaluate(live, [.. check.Select(l => l.LayerSumMs + gap)]);
        var facts = latency.Table.Facts.ToDictionary(f => f.Name, f => f.Value);
        return new ResultTable(
            "ofa-latency-table",
            "OFA MobileNetV3 latency table vs live ORT latency of whole sub-networks",
            $"{latency.Table.Layers.Count} distinct layers timed alone (see `benchmarks/ofa/latency-table.csv`, measured "
            + $"{facts.GetValueOrDefault("measured", "?")} at load {facts.GetValueOrDefault("load average (1/5/15 min) before", "?")}; "
            + $"{(latency.Measured ? "measured in this run" : "read from the committed table")}). Calibration: latency = {latency.Table.OverheadMs:F3} ms + "
            + $"{latency.Table.Scale:F3} × the layers' sum, the scale by least squares through the origin on {OfaLatencyMeasurement.FitCount} whole sub-networks "
            + $"and the overhead as their mean remaining gap (a constant overhead alone, their mean gap to the plain sum, is {gap:F3} ms); checked on {check.Count} other whole sub-networks "
            + $"(random draws plus the largest and smallest), live {live.Min():F2}–{live.Max():F2} ms (`benchmarks/ofa/latency-live.csv`). "
            + $"The table's range over the space: smallest {evaluator.LatencyOf(family.Smallest()):F2} ms, largest {evaluator.LatencyOf(family.Largest()):F2} ms.",
            ["table", "n", "kendall_tau", "mape_%", "rmse_ms"],
            [
                ["overhead + scale × layers' sum (used)", Cell.Of(check.Count), Cell.Of(withOverhead.KendallTau), Cell.Of(withOverhead.Mape * 100, "F2"), Cell.Of(withOverhead.Rmse)],
                ["layers' sum + constant overhead", Cell.Of(check.Count), Cell.Of(overheadOnly.KendallTau), Cell.Of(overheadOnly.Mape * 100, "F2"), Cell.Of(overheadOnly.Rmse)],
                ["layers' sum alone", Cell.Of(check.Count), Cell.Of(sumOnly.KendallTau), Cell.Of(sumOnly.Mape * 100, "F2"), Cell.Of(sumOnly.Rmse)],
            ]);
    }

    private static string Context(
        BenchmarkRun run, IElasticFamily family, OfaAccuracyOracle oracle, OfaLatencyData latency, SearchOptions defaults,
        (IReadOnlyList<EvaluatedCandidate> Trials, InMemoryStudyStorage Storage, TimeSpan Wall) source, IReadOnlyList<Genome> warm,
        (IReadOnlyList<EvaluatedCandidate> Trials, InMemoryStudyStorage Storage, TimeSpan Wall) reference, ParetoFront front, double[] point)
    {
        var s = run.Settings.Ofa;
        return $"Search space: OFA MobileNetV3 w1.0 at 224×224 ({family.Genes.Count} genes: 20 kernel, 20 expand, 5 depth). A validation is an oracle "
            + $"look-up: ImageNet top-1 from the accuracy oracle ({oracle.Model}, held-out τ "
            + $"{oracle.Quality.Single(q => q.Chosen).Quality.KendallTau:F3}; logged sub-networks answer with their logged value) and this machine's ORT "
            + $"latency (1 thread, batch 1) from the per-layer table (τ {latency.CheckQuality().KendallTau:F3} against live on {OfaLatencyMeasurement.CheckCount} "
            + $"whole sub-networks). {s.Seeds} seeds per strategy, budget {s.Budgets[^1]} validations, product defaults (population {defaults.Population}, "
            + $"{defaults.InnerGenerations} inner generations, predictors accuracy {StrategyFactory.PredictorName(defaults.Predictors.Accuracy)} / latency {StrategyFactory.PredictorName(defaults.Predictors.Latency)}; variants in the summary), no constraints. "
            + $"`warm-start` starts from the final population ({warm.Count} sub-networks) of an NSGA-II run (seed {WarmSourceSeed}, "
            + $"{source.Trials.Count} validations, not counted) for another device, one whose latency follows MACs. Reference front: the front of every "
            + $"evaluation of this suite including a long NSGA-II on the oracle ({reference.Trials.Count} evaluations, population {s.ReferencePopulation}, "
            + $"seed {ReferenceSeed}); {front.Members.Count} members, top-1 {front.Members.Min(c => c.Values[0]) * 100:F2}–{front.Members.Max(c => c.Values[0]) * 100:F2} %, "
            + $"latency {front.Members.Min(c => c.Values[1]):F2}–{front.Members.Max(c => c.Values[1]):F2} ms; hypervolume reference point: its nadir pushed out by "
            + $"{ReferencePoint.NadirMargin:P0} of its range (top-1 {-point[0] * 100:F2} %, latency {point[1]:F2} ms). Mean ± stdev over the seeds that reached "
            + $"the level (reached/seeds); `full` counts the validations of its smallest budget's run that reached it; `{Baseline}`, the baseline, runs "
            + $"to {Math.Max(s.Budgets[^1], s.BaselineBudget)} validations so that it reaches the levels the others reach within {s.Budgets[^1]}. Ratio = {Baseline}'s mean ÷ the "
            + "strategy's (how many times fewer validations), shown when both reached the level in every seed.";
    }

    /// <summary>One run: its validated trials in order.</summary>
    private sealed record OfaRun(string Name, int Seed, int Budget, IReadOnlyList<EvaluatedCandidate> Trials, TimeSpan Wall);

    /// <summary>The oracle's accuracy with MACs (in millions) as the latency: a second "device" for the warm start's source.</summary>
    private sealed class MacsAsLatency(IElasticFamily family, OfaOracleEvaluator oracle) : IEvaluator
    {
        public IReadOnlyList<Objective> Objectives => oracle.Objectives;

        public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            IReadOnlyList<EvaluatedCandidate> evaluated = [.. oracle.Evaluate(genomes).Select(c => c with { Values = [c.Values[0], family.Plan(c.Genome).MultiplyAccumulates / 1e6] })];
            return Task.FromResult(evaluated);
        }
    }
}
