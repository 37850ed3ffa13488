using System.Diagnostics;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Study;
using HwAwareNas.Tool.Pipeline;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// Hypervolume of the live-measured front against the number of live validations for each strategy, several seeds
/// each, against a reference front (everything measured, including a long NSGA-II run); and how many validations each
/// strategy needs to reach 90/95/98 % of the reference hypervolume, relative to NSGA-II.
/// </summary>
internal static class SearchEfficiencySuite
{
    private const int WarmSourceSeed = 1000;
    private const int WarmSourceThreads = 2;
    private const int ReferenceSeed = 99;
    private static readonly double[] Thresholds = [0.70, 0.80, 0.90, 0.95, 0.98];

    // full and concurrent draw depth-balanced sub-networks (the product's default) and, as "-random", uniformly random
    // ones (DyNAS-T's), with the same seeds and budgets.
    // The product's default predictors (hwnas.yaml's documented defaults), as the ofa suite uses; the derived config sets ridge.
    private static readonly Core.Configuration.PredictorOptions DefaultPredictors = OfaSearchSuite.ProductDefaults().Predictors;

    private static readonly (string Name, SearchStrategy Strategy, SubnetSampling Sampling)[] Strategies =
    [
        ("random", SearchStrategy.Random, SubnetSampling.Random),
        ("evolutionary", SearchStrategy.Evolutionary, SubnetSampling.Random),
        ("full", SearchStrategy.Full, SubnetSampling.Balanced),
        ("full-random", SearchStrategy.Full, SubnetSampling.Random),
        ("warm-start", SearchStrategy.WarmStart, SubnetSampling.Random),
        ("concurrent", SearchStrategy.Concurrent, SubnetSampling.Balanced),
        ("concurrent-random", SearchStrategy.Concurrent, SubnetSampling.Random),
    ];

    /// <summary>Runs the suite.</summary>
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var s = run.Settings;
        var objectives = LiveSample.Objectives;
        var total = 2 + (Strategies.Length * s.Seeds);
        var progress = Progress.Start("search: runs", total);
        var done = 0;

        // The warm start's source: NSGA-II on the 2-thread profile (another fingerprint); its validations are not counted.
        var source = await SearchAsync(run, SearchStrategy.Evolutionary, "warm-source", WarmSourceSeed, s.Validations, WarmSourceThreads, null, cancellationToken)
            .ConfigureAwait(false);
        var warmPopulation = WarmStartSearch.FromStudy(source.Storage);
        progress.Step(++done, "warm-start source (2 threads)");

        var runs = new List<SearchRecord>();
        foreach (var (name, strategy, sampling) in Strategies)
        {
            for (var seed = 1; seed <= s.Seeds; seed++)
            {
                var record = await SearchAsync(
                    run, strategy, name, seed, s.Validations, 1, strategy == SearchStrategy.WarmStart ? warmPopulation : null, cancellationToken, sampling)
                    .ConfigureAwait(false);
                runs.Add(record);
                progress.Step(++done, $"{name} seed {seed}: {record.Trials.Count} validations, {record.NewAccuracies} new accuracies");
            }
        }

        var longRun = await SearchAsync(run, SearchStrategy.Evolutionary, "reference", ReferenceSeed, s.ReferenceValidations, 1, null, cancellationToken)
            .ConfigureAwait(false);
        progress.Step(++done, "reference run");

        var everything = runs.SelectMany(r => r.Trials).Concat(longRun.Trials).ToList();
        var reference = ParetoFront.Of(objectives, everything);
        if (reference.Members.Count == 0)
        {
            throw new InvalidOperationException("No measured sub-network meets the sample's constraints; the reference front is empty.");
        }

        var nadir = ReferencePoint.Nadir(objectives, reference);
        var design = ReferencePoint.Design(objectives, reference);
        var context = Context(run, source, warmPopulation, longRun, reference, nadir, everything.Count);
        return
        [
            ThresholdTable(run, runs, objectives, reference, nadir, "search-thresholds", "Validations to reach 70 / 80 / 90 / 95 / 98 % of the reference hypervolume", context),
            CurveTable(run, runs, objectives, reference, nadir),
            SummaryTable(run, runs, objectives, reference, nadir),
            ThresholdTable(
                run, runs, objectives, reference, design, "search-thresholds-design-reference",
                "The same thresholds with DESIGN.md's reference point (accuracy 0, 1.1 × largest latency)",
                "With accuracy 0 as the reference, each point's volume is about its accuracy (86–89 % for every sub-network) times its latency "
                + "margin, so this volume mostly rewards finding the fastest sub-networks and hardly sees accuracy; kept to show why the tables "
                + "above use the reference front's nadir."),
        ];
    }

    private static async Task<SearchRecord> SearchAsync(
        BenchmarkRun run, SearchStrategy strategy, string name, int seed, int validations, int threads, IReadOnlyList<Genome>? warmStart,
        CancellationToken cancellationToken, SubnetSampling sampling = SubnetSampling.Balanced)
    {
        var s = run.Settings;
        var sample = run.Sample;
        var search = sample.Config.Search with
        {
            Strategy = strategy,
            Population = s.Population,
            InnerGenerations = s.InnerGenerations,
            Validations = validations,

            // The validation budget is what the strategies are compared at, not the sample's iteration cap.
            Iterations = validations,

            Predictors = DefaultPredictors,
            Seed = seed,
            MaxTime = null,
        };
        var storage = new InMemoryStudyStorage();
        var timed = new TimedEvaluator(sample.Live(threads));
        var context = new SearchContext(sample.Family, timed, [], storage, seed);
        var accuracies = sample.Accuracy.Evaluations;
        var latencies = sample.NewLatencyMeasurements;
        var clock = Stopwatch.StartNew();
        await StrategyFactory.Create(search, sample.Family, warmStart, sampling: sampling).RunAsync(context, cancellationToken).ConfigureAwait(false);
        return new SearchRecord(
            name, seed, context.MeasuredTrials(), storage, clock.Elapsed, timed.Elapsed,
            sample.Accuracy.Evaluations - accuracies, sample.NewLatencyMeasurements - latencies);
    }

    private static string Context(
        BenchmarkRun run, SearchRecord source, IReadOnlyList<Genome> warm, SearchRecord longRun, ParetoFront reference, double[] nadir, int measured)
    {
        var s = run.Settings;
        var budget = run.Sample.LatencyBudgetMs;
        var feasible = (double)run.Sample.Seen.Count(c => c.Values[1] <= budget) / Math.Max(1, run.Sample.Seen.Count);
        return $"{s.Seeds} seeds per strategy, {s.Validations} live validations per run, population {s.Population}; the sample's space "
            + $"(elastic MobileNetV3, 5 units) and device (1 thread), searched without constraints as in DyNAS-T's comparisons: the whole "
            + $"accuracy–latency trade-off counts (under the sample's {budget:0.###} ms budget only {feasible:P0} of the sub-networks measured here fit "
            + "on this machine, which would turn the hypervolume into a count of lucky hits). "
            + $"`full` and `concurrent` use the product's default predictors (accuracy {StrategyFactory.PredictorName(DefaultPredictors.Accuracy)}, "
            + $"latency {StrategyFactory.PredictorName(DefaultPredictors.Latency)}) and {s.InnerGenerations} NSGA-II generations on them per iteration; "
            + $"`full` spends {s.Validations - s.Population} validations on samples (the largest and smallest sub-network, then depth-balanced ones; "
            + "`full-random`: uniformly random ones) and the rest verifying its predicted front; `concurrent` starts from the same anchors and "
            + "depth-balanced draws and tops up with draws from the depth bins it covers least (`concurrent-random`: uniformly random; same seeds, same budgets). "
            + $"`warm-start` starts from the final population ({warm.Count} sub-networks) of an NSGA-II run on the {WarmSourceThreads}-thread profile "
            + $"(seed {WarmSourceSeed}, {source.Trials.Count} validations measured under that fingerprint, not counted here). "
            + $"Reference front: the front of all {measured} live measurements of this suite, including a long NSGA-II run "
            + $"({longRun.Trials.Count} validations, seed {ReferenceSeed}); {reference.Members.Count} members, accuracy "
            + $"{reference.Members.Min(c => c.Values[0]):P2}–{reference.Members.Max(c => c.Values[0]):P2}, latency "
            + $"{reference.Members.Min(c => c.Values[1]):F3}–{reference.Members.Max(c => c.Values[1]):F3} ms. Hypervolume reference point: the "
            + $"reference front's nadir pushed out by {ReferencePoint.NadirMargin:P0} of its range (accuracy {-nadir[0]:P2}, latency {nadir[1]:F3} ms). "
            + "Mean ± stdev over the seeds that reached the level (reached/seeds); ratio = evolutionary's mean ÷ the strategy's "
            + "(how many times fewer validations), shown when both reached it in every seed.";
    }

    private static ResultTable ThresholdTable(
        BenchmarkRun run, List<SearchRecord> runs, IReadOnlyList<Objective> objectives, ParetoFront reference, double[] point,
        string file, string title, string note)
    {
        var target = reference.Hypervolume(point);
        var firsts = Strategies.ToDictionary(
            x => x.Name,
            x => Thresholds.Select(t => runs.Where(r => r.Name == x.Name).Select(r => HypervolumeThresholds.FirstReaching(objectives, r.Trials, point, t * target)).ToList()).ToList());
        return HypervolumeThresholds.Table(file, title, note, [.. Strategies.Select(x => x.Name)], firsts, Thresholds, run.Settings.Seeds, "evolutionary");
    }

    private static ResultTable CurveTable(BenchmarkRun run, List<SearchRecord> runs, IReadOnlyList<Objective> objectives, ParetoFront reference, double[] point)
    {
        var target = reference.Hypervolume(point);
        var s = run.Settings;
        var rows = new List<string[]>();
        for (var n = s.CurveStep; n <= s.Validations; n += s.CurveStep)
        {
            var count = n;
            rows.Add([Cell.Of(n), .. Strategies.Select(x => Cell.MeanStdev(
                [.. runs.Where(r => r.Name == x.Name).Select(r => ReferencePoint.HypervolumeOf(objectives, r.Trials.Take(count), point) / target)]))]);
        }

        return new ResultTable(
            "search-curves",
            "Hypervolume of the measured front ÷ reference hypervolume, vs live validations",
            "Mean ± stdev over the seeds; a run that spent fewer validations (full verifies only its predicted front) keeps its final value.",
            ["validations", .. Strategies.Select(x => x.Name)],
            rows);
    }

    private static ResultTable SummaryTable(BenchmarkRun run, List<SearchRecord> runs, IReadOnlyList<Objective> objectives, ParetoFront reference, double[] point)
    {
        var target = reference.Hypervolume(point);
        var budget = run.Sample.LatencyBudgetMs;
        var rows = Strategies.Select(x =>
        {
            var mine = runs.Where(r => r.Name == x.Name).ToList();
            return new[]
            {
                x.Name,
                Cell.MeanStdev([.. mine.Select(r => (double)r.Trials.Count)], "F0"),
                Cell.MeanStdev([.. mine.Select(r => ReferencePoint.HypervolumeOf(objectives, r.Trials, point) / target)]),
                Cell.MeanStdev([.. mine.Select(r => BestWithin(r.Trials, budget) * 100)], "F2"),
                Cell.MeanStdev([.. mine.Select(r => (double)ParetoFront.Of(objectives, r.Trials).Members.Count)], "F1"),
                Cell.MeanStdev([.. mine.Select(r => r.Wall.TotalSeconds)], "F1"),
                Cell.MeanStdev([.. mine.Select(r => (r.Wall - r.Evaluating).TotalSeconds)], "F1"),
                Cell.Of(mine.Sum(r => r.NewAccuracies)),
            };
        }).ToList();
        return new ResultTable(
            "search-summary",
            "Search runs at the full budget",
            $"Per run, mean ± stdev over {run.Settings.Seeds} seeds. best_accuracy_%: the most accurate measured sub-network within the sample's "
            + $"{budget} ms latency budget (— when a run found none). "
            + "search_overhead_s: wall time outside the live evaluator (predictor fits and NSGA-II on the predictors); wall time depends on how many "
            + "sub-networks the measured table already held. new_accuracies: sub-networks this strategy's runs measured first (all seeds).",
            ["strategy", "validations", "final_hv_ratio", "best_accuracy_%", "front_size", "wall_s", "search_overhead_s", "new_accuracies"],
            rows);
    }

    private static double BestWithin(IReadOnlyList<EvaluatedCandidate> trials, double latencyBudget) =>
        trials.Where(c => c.Values[1] <= latencyBudget).Select(c => c.Values[0]).DefaultIfEmpty(double.NaN).Max();

    /// <summary>One search run: its measured trials in order, constraints applied.</summary>
    private sealed record SearchRecord(
        string Name, int Seed, IReadOnlyList<EvaluatedCandidate> Trials, InMemoryStudyStorage Storage, TimeSpan Wall, TimeSpan Evaluating,
        int NewAccuracies, int NewLatencies);
}
