using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Operators;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Study;

namespace HwAwareNas.Search.Tests;

[TestClass]
public sealed class StrategyTests
{
    private const double LatencyBudget = 6.0;
    private static readonly SyntheticSpace Space = SyntheticSpace.OneUnit;
    private static readonly Constraint[] Budget = [Constraint.AtMost("latency", LatencyBudget)];
    private static readonly Lazy<ParetoFront> TrueFront = new(() =>
    {
        var evaluator = new SyntheticEvaluator();
        var objectives = evaluator.Objectives;
        return ParetoFront.Of(objectives, Space.AllCanonical().Select(g => evaluator.Evaluate(g).WithConstraints(objectives, Budget)));
    });

    private static SearchContext Context(SyntheticEvaluator evaluator, IStudyStorage? storage = null, IProgress<SearchProgress>? progress = null) =>
        new(Space, evaluator, Budget, storage ?? new InMemoryStudyStorage(), Seed: 1, progress);

    private static double HypervolumeRatio(ParetoFront front)
    {
        var reference = HypervolumeReference.For(TrueFront.Value.Objectives, TrueFront.Value.Members);
        return front.Hypervolume(reference) / TrueFront.Value.Hypervolume(reference);
    }

    private static void AssertIsMeasuredFeasibleFront(SyntheticEvaluator evaluator, SearchOutcome outcome)
    {
        Assert.IsNotEmpty(outcome.Front.Members);
        foreach (var member in outcome.Front.Members)
        {
            Assert.AreEqual(EvaluationOrigin.Measured, member.Origin);
            Assert.IsLessThanOrEqualTo(LatencyBudget, SyntheticEvaluator.Latency(member.Genome));
            CollectionAssert.AreEqual(evaluator.Evaluate(member.Genome).Values.ToArray(), member.Values.ToArray());
        }

        var vectors = ObjectiveVectors.ToMinimization(outcome.Front.Objectives, outcome.Front.Members);
        Assert.IsFalse(vectors.Any(a => vectors.Any(b => Dominance.Dominates(b, a))));
    }

    [TestMethod]
    public async Task RandomSearchMeasuresDistinctGenomesAndReturnsTheirFront()
    {
        var evaluator = new SyntheticEvaluator();
        var storage = new InMemoryStudyStorage();

        var outcome = await new RandomSearch(60).RunAsync(Context(evaluator, storage), CancellationToken.None);

        Assert.AreEqual(60, evaluator.Evaluations);
        Assert.HasCount(60, storage.Trials);
        Assert.AreEqual(60, storage.Trials.Select(t => Space.Canonicalize(t.Candidate.Genome)).Distinct().Count());
        AssertIsMeasuredFeasibleFront(evaluator, outcome);
    }

    [TestMethod]
    public async Task EvolutionarySearchValidatesEveryIndividualAndApproachesTheTrueFront()
    {
        var evaluator = new SyntheticEvaluator();
        var storage = new InMemoryStudyStorage();
        var progress = new RecordingProgress();
        var strategy = new EvolutionarySearch(new Nsga2Settings(20, new Termination(maxGenerations: 15)));

        var outcome = await strategy.RunAsync(Context(evaluator, storage, progress), CancellationToken.None);

        Assert.AreEqual(evaluator.Evaluations, storage.Trials.Count);
        Assert.IsLessThanOrEqualTo(300, evaluator.Evaluations);
        Assert.HasCount(15, storage.Generations);
        AssertIsMeasuredFeasibleFront(evaluator, outcome);
        Assert.IsGreaterThanOrEqualTo(0.95, HypervolumeRatio(outcome.Front), $"ratio {HypervolumeRatio(outcome.Front):F4}");
        Assert.HasCount(15, progress.Reports);
        Assert.IsTrue(progress.Reports.All(r => r.Stage == "nsga2" && r.BestSoFar is { IsFeasible: true }));
        Assert.AreEqual(evaluator.Evaluations, progress.Reports[^1].EvaluationsDone);
        CollectionAssert.AreEqual(
            progress.Reports.Select(r => r.EvaluationsDone).Order().ToArray(), progress.Reports.Select(r => r.EvaluationsDone).ToArray());
    }

    [TestMethod]
    public async Task FullSearchFitsSurrogatesSearchesThemAndVerifiesThePredictedFront()
    {
        var evaluator = new SyntheticEvaluator();
        var storage = new InMemoryStudyStorage();
        var surrogates = new List<RidgeSurrogate>();
        var strategy = new FullSearch(80, _ => Track(surrogates, new RidgeSurrogate(Space)), new Nsga2Settings(30, new Termination(maxGenerations: 60)));

        var outcome = await strategy.RunAsync(Context(evaluator, storage), CancellationToken.None);

        Assert.HasCount(2, surrogates);
        Assert.AreEqual(80, storage.Trials.Count(t => t.Stage == "full-sample"));
        Assert.IsLessThanOrEqualTo(30, storage.Trials.Count(t => t.Stage == "full-verify"));
        Assert.AreEqual(storage.Trials.Count, evaluator.Evaluations);
        Assert.IsTrue(outcome.FinalPopulation.All(c => c.Origin == EvaluationOrigin.Measured));
        AssertIsMeasuredFeasibleFront(evaluator, outcome);
        Assert.IsGreaterThanOrEqualTo(0.85, HypervolumeRatio(outcome.Front), $"ratio {HypervolumeRatio(outcome.Front):F4}");
    }

    [TestMethod]
    public async Task ConcurrentSearchSpendsExactlyItsValidationsAndApproachesTheTrueFront()
    {
        var evaluator = new SyntheticEvaluator();
        var storage = new InMemoryStudyStorage();
        var surrogates = new List<RidgeSurrogate>();
        var strategy = new ConcurrentSearch(20, 50, 100, _ => Track(surrogates, new RidgeSurrogate(Space)));

        var outcome = await strategy.RunAsync(Context(evaluator, storage), CancellationToken.None);

        Assert.AreEqual(100, evaluator.Evaluations, string.Join(",", storage.Generations.Select(g => g.Evaluations)));
        Assert.AreEqual(100, storage.Trials.Count);

        // One refit of both surrogates per iteration: at least five iterations of up to 20 validations.
        Assert.IsGreaterThanOrEqualTo(10, surrogates.Count);
        Assert.IsTrue(storage.Generations.All(g => g.Stage == "concurrent"));
        AssertIsMeasuredFeasibleFront(evaluator, outcome);
        Assert.IsGreaterThanOrEqualTo(0.9, HypervolumeRatio(outcome.Front), $"ratio {HypervolumeRatio(outcome.Front):F4}");
    }

    [TestMethod]
    public async Task EvolutionaryFullAndConcurrentSearchesMeasureTheLargestAndSmallestNetworksFirst()
    {
        ISearchStrategy[] strategies =
        [
            new EvolutionarySearch(new Nsga2Settings(10, new Termination(maxGenerations: 1))),
            new FullSearch(20, _ => new RidgeSurrogate(Space), new Nsga2Settings(10, new Termination(maxGenerations: 2))),
            new ConcurrentSearch(10, 2, 10, _ => new RidgeSurrogate(Space)),
        ];
        Genome[] anchors = [Space.Canonicalize(Space.Largest()), Space.Canonicalize(Space.Smallest())];
        foreach (var strategy in strategies)
        {
            var storage = new InMemoryStudyStorage();

            await strategy.RunAsync(Context(new SyntheticEvaluator(), storage), CancellationToken.None);

            var first = storage.Trials.Take(10).Select(t => Space.Canonicalize(t.Candidate.Genome)).ToList();
            CollectionAssert.IsSubsetOf(anchors, first, strategy.Name);
            Assert.HasCount(10, first.Distinct(), strategy.Name + ": the anchors are not measured twice");
        }
    }

    [TestMethod]
    public async Task FullAndConcurrentFirstPopulationsAreDepthBalancedBesideTheAnchorsAndRepeatWithTheSeed()
    {
        var bins = new DepthBins(Space, 5);
        Genome[] anchors = [Space.Canonicalize(Space.Largest()), Space.Canonicalize(Space.Smallest())];
        Func<SubnetSampling, ISearchStrategy>[] strategies =
        [
            sampling => new FullSearch(15, _ => new RidgeSurrogate(Space), new Nsga2Settings(10, new Termination(maxGenerations: 1)), sampling),
            sampling => new ConcurrentSearch(15, 1, 15, _ => new RidgeSurrogate(Space), maxIterations: 1, sampling),
        ];
        foreach (var create in strategies)
        {
            async Task<List<Genome>> FirstAsync(SubnetSampling sampling, int seed)
            {
                var storage = new InMemoryStudyStorage();
                await create(sampling).RunAsync(Context(new SyntheticEvaluator(), storage) with { Seed = seed }, CancellationToken.None);
                return [.. storage.Trials.Take(15).Select(t => Space.Canonicalize(t.Candidate.Genome))];
            }

            var first = await FirstAsync(SubnetSampling.Balanced, 1);
            var name = create(SubnetSampling.Balanced).Name;

            CollectionAssert.IsSubsetOf(anchors, first, name);
            CollectionAssert.AreEqual(new[] { 5, 5, 5 }, Enumerable.Range(0, bins.Count).Select(b => first.Count(g => bins.BinOf(g) == b)).ToArray(), name);
            CollectionAssert.AreEqual(first, await FirstAsync(SubnetSampling.Balanced, 1), name + ": the seed repeats the population");
            CollectionAssert.AreNotEqual(first, await FirstAsync(SubnetSampling.Balanced, 2), name + ": another seed draws another");
            CollectionAssert.AreNotEqual(first, await FirstAsync(SubnetSampling.Random, 1), name + ": random sampling is still available");
        }
    }

    [TestMethod]
    public void BalancedTopUpsFillTheDepthBinsTheStudyCoversLeast()
    {
        var bins = new DepthBins(Space, 5);
        var random = new Random(4);
        var measured = Enumerable.Range(0, 200).Select(_ => Space.Canonicalize(Space.Sample(random))).Where(g => bins.BinOf(g) == 2).Distinct().Take(6).ToList();

        var drawn = DistinctSampling.Draw(Space, 6, new Random(1), measured, SubnetSampling.Balanced);

        Assert.HasCount(6, drawn);
        Assert.IsTrue(drawn.All(g => bins.BinOf(g) != 2), "the deepest bin already has six: " + string.Join(", ", drawn.Select(bins.BinOf)));
        Assert.AreEqual(3, drawn.Count(g => bins.BinOf(g) == 0));
        Assert.IsEmpty(drawn.Intersect(measured));
    }

    [TestMethod]
    public async Task CancelledSearchKeepsItsFinishedGenerationsAndResumesFromThem()
    {
        using var cancellation = new CancellationTokenSource();
        var storage = new InMemoryStudyStorage();
        var cancelAfterThree = new CancellingProgress(cancellation, 3);
        var settings = new Nsga2Settings(10, new Termination(maxGenerations: 8));

        await Assert.ThrowsAsync<OperationCanceledException>(() =>
            new EvolutionarySearch(settings).RunAsync(Context(new SyntheticEvaluator(), storage, cancelAfterThree), cancellation.Token));
        var trialsBefore = storage.Trials.Count;
        var resumed = new SyntheticEvaluator();
        await new EvolutionarySearch(settings).RunAsync(Context(resumed, storage), CancellationToken.None);

        Assert.AreEqual(3, storage.Generations[2].Generation);
        Assert.AreEqual(8, storage.Generations[^1].Generation);
        Assert.AreEqual(storage.Trials.Count - trialsBefore, resumed.Evaluations);
    }

    [TestMethod]
    public async Task ConcurrentSearchByExpectedHypervolumeMeasuresAFirstBatchThenSmallRounds_AndRepeatsWithTheSeed()
    {
        async Task<(SyntheticEvaluator Evaluator, InMemoryStudyStorage Storage, SearchOutcome Outcome)> RunAsync()
        {
            var evaluator = new SyntheticEvaluator();
            var storage = new InMemoryStudyStorage();
            var strategy = new ConcurrentSearch(
                20, 30, 60, _ => new RidgeSurrogate(Space), acquisition: ConcurrentAcquisition.ExpectedHypervolume, batchSize: 5, firstBatch: 15);
            return (evaluator, storage, await strategy.RunAsync(Context(evaluator, storage), CancellationToken.None));
        }

        var (evaluator, storage, outcome) = await RunAsync();
        var again = await RunAsync();

        CollectionAssert.AreEqual(new[] { 15, 5, 5, 5, 5, 5, 5, 5, 5, 5 }, evaluator.Batches);
        Assert.HasCount(9, storage.Generations, "one inner search per round after the first batch");
        AssertIsMeasuredFeasibleFront(evaluator, outcome);
        Assert.IsGreaterThanOrEqualTo(0.9, HypervolumeRatio(outcome.Front), $"ratio {HypervolumeRatio(outcome.Front):F4}");
        CollectionAssert.AreEqual(
            storage.Trials.Select(t => t.Candidate.Genome.Key).ToArray(),
            again.Storage.Trials.Select(t => t.Candidate.Genome.Key).ToArray(),
            "the seed repeats every choice");
    }

    [TestMethod]
    public async Task ConcurrentSearchByExpectedHypervolumeGrowsItsRoundsWithTheStudy()
    {
        var evaluator = new SyntheticEvaluator();

        await new ConcurrentSearch(
            20, 10, 40, _ => new RidgeSurrogate(Space), acquisition: ConcurrentAcquisition.ExpectedHypervolume, batchSize: 2, firstBatch: 12, batchShare: 0.25)
            .RunAsync(Context(evaluator), CancellationToken.None);

        // A quarter of those measured (rounded) once that is more than 2; the last round takes what the budget leaves.
        CollectionAssert.AreEqual(new[] { 12, 3, 4, 5, 6, 8, 2 }, evaluator.Batches);
    }

    [TestMethod]
    public async Task ConcurrentSearchByExpectedHypervolumeNeverExceedsATinyBudget()
    {
        foreach (var validations in new[] { 1, 3 })
        {
            var evaluator = new SyntheticEvaluator();

            await new ConcurrentSearch(20, 5, validations, _ => new RidgeSurrogate(Space), acquisition: ConcurrentAcquisition.ExpectedHypervolume, batchSize: 5, firstBatch: 15)
                .RunAsync(Context(evaluator), CancellationToken.None);

            Assert.AreEqual(validations, evaluator.Evaluations);
        }
    }

    [TestMethod]
    public async Task ConcurrentSearchByExpectedHypervolumeResumesFromItsStudy()
    {
        var storage = new InMemoryStudyStorage();
        var first = new SyntheticEvaluator();
        ConcurrentSearch Strategy(int validations) => new(
            20, 30, validations, _ => new RidgeSurrogate(Space), acquisition: ConcurrentAcquisition.ExpectedHypervolume, batchSize: 5, firstBatch: 10);
        await Strategy(25).RunAsync(Context(first, storage), CancellationToken.None);

        var resumed = new SyntheticEvaluator();
        await Strategy(45).RunAsync(Context(resumed, storage), CancellationToken.None);

        Assert.AreEqual(25, first.Evaluations);
        Assert.AreEqual(20, resumed.Evaluations, "the first batch and earlier rounds are answered from the study");
        Assert.AreEqual(45, storage.Trials.Select(t => Space.Canonicalize(t.Candidate.Genome)).Distinct().Count());
    }

    [TestMethod]
    public async Task ConcurrentSearchStopsAfterItsIterationsEvenWithValidationsLeft()
    {
        var evaluator = new SyntheticEvaluator();
        var storage = new InMemoryStudyStorage();

        await new ConcurrentSearch(20, 30, 100, _ => new RidgeSurrogate(Space), maxIterations: 2)
            .RunAsync(Context(evaluator, storage), CancellationToken.None);

        Assert.AreEqual(40, evaluator.Evaluations);
        Assert.HasCount(2, storage.Generations);
    }

    [TestMethod]
    public async Task ConcurrentSearchResumesFromItsStudyAndOnlySpendsTheRemainingValidations()
    {
        var storage = new InMemoryStudyStorage();
        var first = new SyntheticEvaluator();
        await new ConcurrentSearch(20, 30, 40, _ => new RidgeSurrogate(Space)).RunAsync(Context(first, storage), CancellationToken.None);
        var generationsBefore = storage.Generations.Count;

        var resumed = new SyntheticEvaluator();
        var outcome = await new ConcurrentSearch(20, 30, 100, _ => new RidgeSurrogate(Space)).RunAsync(Context(resumed, storage), CancellationToken.None);

        Assert.AreEqual(40, first.Evaluations);
        Assert.AreEqual(60, resumed.Evaluations);
        Assert.AreEqual(100, storage.Trials.Select(t => Space.Canonicalize(t.Candidate.Genome)).Distinct().Count());
        Assert.IsGreaterThan(generationsBefore, storage.Generations.Count);
        AssertIsMeasuredFeasibleFront(resumed, outcome);
    }

    [TestMethod]
    public async Task WarmStartBeginsFromOfaNotationGenomes()
    {
        Genome[] seeds = [new([0, 0, 0, 0, 0, 0, 0, 0, 0]), new([1, 1, 2, 0, 0, 0, 2, 0, 0]), new([2, 0, 1, 2, 1, 2, 1, 0, 1])];
        string[] lines = ["# best population of an earlier run", "", .. seeds.Select(Space.ToOfaNotation)];
        var parsed = WarmStartSearch.ReadOfaNotation(Space, lines);
        CollectionAssert.AreEqual(seeds, parsed.ToArray());
        StringAssert.StartsWith(lines[2], "{\"ks\":[3,3,3,3]");

        var evaluator = new SyntheticEvaluator();
        var storage = new InMemoryStudyStorage();
        var strategy = WarmStartSearch.From(parsed, new Nsga2Settings(10, new Termination(maxGenerations: 4)));
        var outcome = await strategy.RunAsync(Context(evaluator, storage), CancellationToken.None);

        CollectionAssert.AreEqual(seeds, storage.Trials.Take(3).Select(t => t.Candidate.Genome).ToArray());
        Assert.IsTrue(storage.Trials.All(t => t.Stage == WarmStartSearch.Name));
        AssertIsMeasuredFeasibleFront(evaluator, outcome);
        Assert.ThrowsExactly<HwNasException>(() => WarmStartSearch.ReadOfaNotation(Space, ["{\"ks\": oops"]));
    }

    [TestMethod]
    public async Task WarmStartFromAnEarlierStudyReusesItsLastPopulation()
    {
        var earlier = new InMemoryStudyStorage();
        await new EvolutionarySearch(new Nsga2Settings(10, new Termination(maxGenerations: 6))).RunAsync(Context(new SyntheticEvaluator(), earlier), CancellationToken.None);
        var initial = WarmStartSearch.FromStudy(earlier);

        var storage = new InMemoryStudyStorage();
        var strategy = WarmStartSearch.From(initial, new Nsga2Settings(10, new Termination(maxGenerations: 1)));
        await strategy.RunAsync(Context(new SyntheticEvaluator(), storage), CancellationToken.None);

        CollectionAssert.AreEqual(earlier.Generations[^1].Population.Select(c => c.Genome).ToArray(), storage.Trials.Select(t => t.Candidate.Genome).ToArray());
    }

    [TestMethod]
    public async Task ResumedSearchContinuesItsStudyWithoutReevaluating()
    {
        var settings = new Nsga2Settings(12, new Termination(maxGenerations: 10));
        var uninterrupted = new InMemoryStudyStorage();
        var straightEvaluator = new SyntheticEvaluator();
        var straight = await new EvolutionarySearch(settings).RunAsync(Context(straightEvaluator, uninterrupted), CancellationToken.None);

        var interrupted = new InMemoryStudyStorage();
        var firstEvaluator = new SyntheticEvaluator();
        await new EvolutionarySearch(settings with { Termination = new Termination(maxGenerations: 4) })
            .RunAsync(Context(firstEvaluator, interrupted), CancellationToken.None);
        var resumedEvaluator = new SyntheticEvaluator();
        var resumed = await new EvolutionarySearch(settings).RunAsync(Context(resumedEvaluator, interrupted), CancellationToken.None);

        Assert.AreEqual(4, interrupted.Generations[3].Generation);
        Assert.AreEqual(10, interrupted.Generations[^1].Generation);
        Assert.AreEqual(straightEvaluator.Evaluations, firstEvaluator.Evaluations + resumedEvaluator.Evaluations);
        CollectionAssert.AreEqual(
            uninterrupted.Trials.Select(t => t.Candidate.Genome).ToArray(), interrupted.Trials.Select(t => t.Candidate.Genome).ToArray());
        CollectionAssert.AreEqual(
            straight.FinalPopulation.Select(c => c.Genome).ToArray(), resumed.FinalPopulation.Select(c => c.Genome).ToArray());
        CollectionAssert.AreEqual(
            straight.Front.Members.Select(m => m.Genome).ToArray(), resumed.Front.Members.Select(m => m.Genome).ToArray());
    }

    [TestMethod]
    public async Task VerificationDropsMembersWhoseLiveValuesBreakTheConstraintOrAreDominated()
    {
        var fast = new Genome([0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var middle = new Genome([1, 1, 1, 0, 0, 1, 1, 0, 0]);
        var slowOnDevice = new Genome([2, 1, 1, 1, 1, 1, 1, 1, 1]);
        var dominatedOnDevice = new Genome([1, 2, 2, 0, 0, 2, 2, 0, 0]);
        var live = new SyntheticEvaluator();
        live.LatencyPenalty[slowOnDevice] = LatencyBudget;
        live.LatencyPenalty[dominatedOnDevice] = LatencyBudget - SyntheticEvaluator.Latency(dominatedOnDevice) - 0.01;
        Assert.IsLessThanOrEqualTo(LatencyBudget, SyntheticEvaluator.Latency(slowOnDevice));

        var result = await FrontVerification.VerifyAsync([fast, middle, slowOnDevice, dominatedOnDevice], live, Budget, CancellationToken.None);

        Assert.HasCount(4, result.Remeasured);
        Assert.IsFalse(result.Remeasured[2].IsFeasible);
        CollectionAssert.AreEquivalent(new[] { fast, middle, dominatedOnDevice }.Where(g =>
            !result.Remeasured.Any(o => o.IsFeasible && Dominance.Dominates(
                ObjectiveVectors.ToMinimization(live.Objectives, o), ObjectiveVectors.ToMinimization(live.Objectives, live.Evaluate(g))))).ToArray(),
            result.Verified.Members.Select(m => m.Genome).ToArray());
        CollectionAssert.DoesNotContain(result.Verified.Members.Select(m => m.Genome).ToArray(), slowOnDevice);
        CollectionAssert.Contains(result.Verified.Members.Select(m => m.Genome).ToArray(), fast);
    }

    private sealed class CancellingProgress(CancellationTokenSource source, int after) : IProgress<SearchProgress>
    {
        private int _reports;

        public void Report(SearchProgress value)
        {
            if (++_reports == after)
            {
                source.Cancel();
            }
        }
    }

    private static RidgeSurrogate Track(List<RidgeSurrogate> list, RidgeSurrogate surrogate)
    {
        lock (list)
        {
            list.Add(surrogate);
        }

        return surrogate;
    }
}
