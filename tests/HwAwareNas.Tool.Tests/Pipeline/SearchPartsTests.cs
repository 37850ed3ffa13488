using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Selection;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Study;
using HwAwareNas.Tool.Pipeline;

namespace HwAwareNas.Tool.Tests.Pipeline;

/// <summary>The optimize pipeline's search parts on the real MobileNetV3 family with a stand-in for live measurement.</summary>
[TestClass]
public sealed class SearchPartsTests
{
    private static readonly IElasticFamily Family = FamilyRegistry.Create(
        "mobilenetv3", new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("preset=small,width=0.25,ks=3/5,e=2/4,d=1/2")));

    // DyNAS-T's acquisition: three rounds of a population of eight.
    private static readonly SearchOptions Search = new(
        SearchStrategy.Concurrent, 8, 3, 10, 24, WarmStartMode.None, null,
        new PredictorOptions(PredictorKind.Ridge, PredictorKind.Ridge), 0.9, 0.05, 3, null, false, SearchAcquisition.Population);

    [TestMethod]
    public void SearchObjectivesAreAccuracyAndLatencyThenTheStructuralOnesAsWritten()
    {
        var objectives = StructuralCosts.SearchObjectives(
            [ObjectiveKind.Latency, ObjectiveKind.Size, ObjectiveKind.Accuracy, ObjectiveKind.Params]);

        CollectionAssert.AreEqual(new[] { Objective.Accuracy, Objective.Latency, Objective.Size, Objective.Params }, objectives.ToArray());
    }

    [TestMethod]
    public void StructuralCostsAreTheExactPlanFiguresWithoutFitting()
    {
        var costs = new StructuralCosts(Family);
        var genomes = new[] { Family.Smallest(), Family.Largest(), Family.Sample(new Random(5)) };
        var model = costs.ExactModel(Objective.Macs);

        model.Fit([], []);

        CollectionAssert.AreEqual(genomes.Select(g => (double)Family.Plan(g).MultiplyAccumulates).ToArray(), model.Predict(genomes).ToArray());
        Assert.AreEqual(Family.Plan(genomes[1]).Parameters, costs.ValueOf(Objective.Params, genomes[1]));
        Assert.AreEqual(Family.Plan(genomes[1]).Parameters * 4 / (1024.0 * 1024.0), costs.ValueOf(Objective.Size, genomes[1]), 1e-12);
        Assert.IsLessThan(costs.ValueOf(Objective.Params, genomes[1]), costs.ValueOf(Objective.Params, genomes[0]));
        Assert.ThrowsExactly<ArgumentException>(() => costs.ValueOf(Objective.Latency, genomes[0]));
    }

    [TestMethod]
    public async Task ConcurrentSearchOptimisesParamsWithExactValuesAndChargesFitsToTheFitStage()
    {
        IReadOnlyList<Objective> objectives = [Objective.Accuracy, Objective.Latency, Objective.Params];
        var live = new PlanEvaluator(objectives);
        var clock = new StageClock();
        var storage = new InMemoryStudyStorage();
        var strategy = StrategyFactory.Create(Search, Family, null, clock);

        var outcome = await strategy.RunAsync(new SearchContext(Family, live, [Constraint.AtMost("latency", 100)], storage, Seed: 3), CancellationToken.None);

        Assert.HasCount(24, storage.Trials);
        Assert.IsTrue(outcome.Front.Members.All(m => m.Values.Count == 3 && m.Values[2] == Family.Plan(m.Genome).Parameters));
        Assert.IsGreaterThanOrEqualTo(2, outcome.Front.Members.Count);

        // Two predicted objectives are refitted per iteration (three iterations of eight); params is never fitted.
        Assert.AreEqual(6, clock.Entries(PipelineStages.Fit));
        Assert.IsGreaterThan(TimeSpan.Zero, clock.Spent(PipelineStages.Fit));
    }

    [TestMethod]
    public async Task ConcurrentSearchByExpectedHypervolumeMeasuresTheConfiguredBatches()
    {
        IReadOnlyList<Objective> objectives = [Objective.Accuracy, Objective.Latency];
        var live = new PlanEvaluator(objectives);
        var clock = new StageClock();
        var storage = new InMemoryStudyStorage();
        var search = Search with { Acquisition = SearchAcquisition.Ehvi, FirstBatch = 12, Batch = 4, Iterations = null };
        var strategy = StrategyFactory.Create(search, Family, null, clock);

        await strategy.RunAsync(new SearchContext(Family, live, [], storage, Seed: 3), CancellationToken.None);

        Assert.HasCount(24, storage.Trials);
        CollectionAssert.AreEqual(new[] { 16, 20, 24 }, storage.Generations.Select(g => g.Evaluations).ToArray(), "a first batch of 12, then rounds of 4");

        // One refit of both predicted objectives per round after the first batch.
        Assert.AreEqual(6, clock.Entries(PipelineStages.Fit));
        StringAssert.Contains(StrategyFactory.Describe(search), "acquisition ehvi: first batch 12, then per round the larger of 4 and 5 % of those measured, chosen by expected hypervolume improvement with uncertainty weighted 0.3");
    }

    [TestMethod]
    public void StageTimeGoesToTheInnermostStageOnly()
    {
        var clock = new StageClock();
        var outer = System.Diagnostics.Stopwatch.StartNew();
        using (clock.Enter(PipelineStages.Search))
        {
            Thread.Sleep(10);
            using (clock.Enter(PipelineStages.Profile))
            {
                Thread.Sleep(40);
            }

            clock.Measure(PipelineStages.Profile, () =>
            {
                Thread.Sleep(10);
                return 0;
            });
        }

        outer.Stop();

        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(50), clock.Spent(PipelineStages.Profile));
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(10), clock.Spent(PipelineStages.Search));
        Assert.IsLessThanOrEqualTo(outer.Elapsed, clock.Spent(PipelineStages.Profile) + clock.Spent(PipelineStages.Search), "no second is counted twice");
        Assert.AreEqual((1, 2), (clock.Entries(PipelineStages.Search), clock.Entries(PipelineStages.Profile)));
        Assert.AreEqual(TimeSpan.Zero, clock.Spent(PipelineStages.Export));

        var search = clock.Enter(PipelineStages.Search);
        clock.Enter(PipelineStages.Fit);
        Assert.ThrowsExactly<InvalidOperationException>(search.Dispose, "stages nest");
    }

    [TestMethod]
    public async Task SelectionNeverPicksACandidateOverAPlanLimit()
    {
        IReadOnlyList<Objective> objectives = [Objective.Accuracy, Objective.Latency];
        var small = Family.Smallest();
        var large = Family.Largest();
        var limit = (Family.Plan(small).Parameters + Family.Plan(large).Parameters) / 2;
        var limits = new PlanLimits(Family, new ConstraintsOptions(null, null, limit, null, null));
        var policy = BestObjectivePolicy.MaxAccuracy([Constraint.AtMost("latency", 5)]);
        var largeFast = new EvaluatedCandidate(large, [0.9, 1.0], EvaluationOrigin.Measured);
        var smallSlower = new EvaluatedCandidate(small, [0.8, 2.0], EvaluationOrigin.Measured);

        // The verified front holds only the large network; the small one is dominated but within the limit.
        var chosen = (await FinalSelection.SelectAsync(policy, null, 0, objectives, [largeFast], [largeFast, smallSlower], limits.Misses, CancellationToken.None)).Selection;
        var none = (await FinalSelection.SelectAsync(policy, null, 0, objectives, [largeFast], [largeFast], limits.Misses, CancellationToken.None)).Selection;

        Assert.AreEqual(small, chosen.Chosen!.Genome);
        Assert.IsNull(none.Chosen);
        var miss = none.Nearest.Single().Misses.Single();
        Assert.AreEqual(("params", (double)Family.Plan(large).Parameters), (miss.Constraint.ObjectiveName, miss.Value));
        StringAssert.Contains(none.Describe(), "params");
    }

    [TestMethod]
    public async Task PredictorQualityIsCrossValidatedOverEveryDistinctMeasuredSubnetwork()
    {
        IReadOnlyList<Objective> objectives = [Objective.Accuracy, Objective.Latency];
        var random = new Random(5);
        var genomes = Enumerable.Range(0, 40).Select(_ => Family.Canonicalize(Family.Sample(random))).DistinctBy(g => g.Key).ToList();
        var measured = await new PlanEvaluator(objectives).EvaluateAsync([.. genomes, .. genomes.Take(4)], CancellationToken.None);
        var options = new PredictorOptions(PredictorKind.Ridge, PredictorKind.Ridge);

        var quality = PredictorQualityReport.Measure(Family, options, measured, seed: 1);
        var again = PredictorQualityReport.Measure(Family, options, measured, seed: 1);
        var tooFew = PredictorQualityReport.Measure(Family, options, [.. measured.Take(9)], seed: 1);

        Assert.HasCount(2, quality);
        Assert.IsTrue(quality.All(q => q.Count == genomes.Count), "one out-of-fold prediction per distinct sub-network");
        var latency = quality.Single(q => q.Target == "latency");

        // Latency here is MACs / 1e6, nearly additive in the blocks: ridge on the genome ranks it well out of fold.
        Assert.IsGreaterThan(0.8, latency.KendallTau, $"tau {latency.KendallTau}");
        Assert.AreEqual(latency.KendallTau, again.Single(q => q.Target == "latency").KendallTau, "the folds are seeded");
        var actual = latency.Pairs.Select(p => p.Actual).ToList();
        var predicted = latency.Pairs.Select(p => p.Predicted).ToList();
        Assert.AreEqual(100 * actual.Zip(predicted, (a, p) => Math.Abs(p - a) / a).Average(), latency.MapePercent, 1e-9, "MAPE in percent");
        Assert.IsEmpty(tooFew);
    }

    [TestMethod]
    public async Task HypervolumeSeriesMatchesRecomputingTheFrontAfterEveryValidation()
    {
        IReadOnlyList<Objective> objectives = [Objective.Accuracy, Objective.Latency, Objective.Params];
        var random = new Random(11);
        var genomes = Enumerable.Range(0, 40).Select(_ => Family.Sample(random)).ToList();
        genomes.AddRange(genomes.Take(5));
        var evaluated = await new PlanEvaluator(objectives).EvaluateAsync(genomes, CancellationToken.None);
        var latencies = evaluated.Select(c => c.Values[1]).Order().ToList();
        var constrained = evaluated.Select(c => c.WithConstraints(objectives, [Constraint.AtMost("latency", latencies[latencies.Count / 2])])).ToList();

        var series = RunSummaryFactory.HypervolumeSeries(objectives, constrained);

        var reference = HypervolumeReference.For(objectives, ParetoFront.Of(objectives, constrained).Members);
        var expected = Enumerable.Range(1, constrained.Count)
            .Select(k => ParetoFront.Of(objectives, constrained.Take(k)).Hypervolume(reference))
            .ToArray();
        CollectionAssert.AreEqual(Enumerable.Range(1, constrained.Count).ToArray(), series.Select(p => p.Validations).ToArray());
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.AreEqual(expected[k], series[k].Hypervolume, Math.Abs(expected[k]) * 1e-12, $"after {k + 1} validations");
        }

        Assert.IsGreaterThan(series[0].Hypervolume, series[^1].Hypervolume);
    }

    /// <summary>Stands in for live measurement: accuracy grows with parameters, latency with MACs; structural values exact.</summary>
    private sealed class PlanEvaluator(IReadOnlyList<Objective> objectives) : IEvaluator
    {
        private readonly StructuralCosts _costs = new(Family);

        public IReadOnlyList<Objective> Objectives => objectives;

        public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            IReadOnlyList<EvaluatedCandidate> result = [.. genomes.Select(g =>
            {
                var plan = Family.Plan(g);
                return new EvaluatedCandidate(
                    g,
                    [0.5 + (0.1 * Math.Log10(plan.Parameters)), plan.MultiplyAccumulates / 1e6, .. objectives.Skip(2).Select(o => _costs.ValueOf(o, g))],
                    EvaluationOrigin.Measured);
            })];
            return Task.FromResult(result);
        }
    }
}
