using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Operators;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Study;

namespace HwAwareNas.Search.Tests;

[TestClass]
public sealed class BudgetedSearchTests
{
    private const int Population = 10;
    private static readonly SyntheticSpace Space = SyntheticSpace.OneUnit;

    // About 1 % of random genomes meet both, so the first generations rarely do and the search has to find them.
    private static readonly Constraint[] Tight = [Constraint.AtMost("latency", 5.0), Constraint.AtLeast("accuracy", 85.0)];

    private static SearchContext Context(IEvaluator evaluator, IStudyStorage storage, IReadOnlyList<Constraint>? constraints = null) =>
        new(Space, evaluator, constraints ?? Tight, storage, Seed: 2);

    private static EvolutionarySearch Evolutionary() => new(new Nsga2Settings(Population, new Termination(maxGenerations: 20)));

    [TestMethod]
    public async Task StopWhenMetEndsTheSearchAtTheEndOfTheBatchThatMetTheConstraints()
    {
        var evaluator = new SyntheticEvaluator();
        var storage = new InMemoryStudyStorage();

        var result = await BudgetedSearch.RunAsync(Evolutionary(), Context(evaluator, storage), new SearchBudgets(StopWhenMet: true), CancellationToken.None);

        Assert.AreEqual(SearchStopReason.ConstraintsMet, result.StopReason);
        Assert.IsNotNull(result.FirstMet);
        Assert.IsNotNull(result.ValidationsWhenMet);
        Assert.IsTrue(result.FirstMet.IsFeasible && result.FirstMet.Origin == EvaluationOrigin.Measured);
        Assert.IsLessThan(Population * 20, evaluator.Evaluations, "the search stopped before its budget");
        Assert.IsGreaterThan(Population, evaluator.Evaluations, "the first generation met nothing, so the test shows a search, not luck");

        // The batch that met the constraints was measured whole and is the last one: nothing earlier met them.
        Assert.AreEqual(storage.Trials.Count, evaluator.Evaluations);
        Assert.AreEqual(evaluator.Batches.Count, storage.Generations.Count, "every measured batch is recorded as a generation");
        Assert.IsGreaterThan(storage.Trials.Count - evaluator.Batches[^1], result.ValidationsWhenMet!.Value);
        Assert.IsLessThanOrEqualTo(storage.Trials.Count, result.ValidationsWhenMet.Value);
        Assert.IsNotEmpty(result.Outcome.Front.Members, "the front of what was measured holds the feasible members");
        Assert.IsTrue(result.Outcome.Front.Members.All(m => m.IsFeasible));
    }

    [TestMethod]
    public async Task WithoutStopWhenMetTheSameSearchSpendsItsBudgetAndReportsWhenTheConstraintsWereFirstMet()
    {
        var stopped = new InMemoryStudyStorage();
        var stop = await BudgetedSearch.RunAsync(
            Evolutionary(), Context(new SyntheticEvaluator(), stopped), new SearchBudgets(StopWhenMet: true), CancellationToken.None);
        var evaluator = new SyntheticEvaluator();
        var full = new InMemoryStudyStorage();

        var result = await BudgetedSearch.RunAsync(Evolutionary(), Context(evaluator, full), new SearchBudgets(), CancellationToken.None);

        Assert.AreEqual(SearchStopReason.Completed, result.StopReason);
        Assert.HasCount(20, full.Generations);
        Assert.IsGreaterThan(stopped.Trials.Count, full.Trials.Count);
        CollectionAssert.AreEqual(
            stopped.Trials.Select(t => t.Candidate.Genome).ToArray(),
            full.Trials.Take(stopped.Trials.Count).Select(t => t.Candidate.Genome).ToArray(),
            "stopping early only cuts the same search short");
        Assert.AreEqual(stop.ValidationsWhenMet, result.ValidationsWhenMet);
    }

    [TestMethod]
    public async Task ConstraintsNoSubNetworkMeetsLetTheSearchFinish()
    {
        Constraint[] impossible = [Constraint.AtMost("latency", 0.5)];
        var evaluator = new SyntheticEvaluator();

        var result = await BudgetedSearch.RunAsync(
            new RandomSearch(40, batchSize: Population), Context(evaluator, new InMemoryStudyStorage(), impossible), new SearchBudgets(StopWhenMet: true), CancellationToken.None);

        Assert.AreEqual(SearchStopReason.Completed, result.StopReason);
        Assert.AreEqual(40, evaluator.Evaluations);
        Assert.IsNull(result.FirstMet);
        Assert.IsNull(result.ValidationsWhenMet);
    }

    [TestMethod]
    public async Task ASmallestSubnetworkFarOverTheBoundStopsTheSearchAfterTheAnchorBatch()
    {
        // The smallest synthetic sub-network takes 1.54 ms: over twice 0.5 ms, so nothing can meet the bound.
        Constraint[] impossible = [Constraint.AtMost("latency", 0.5)];
        var evaluator = new SyntheticEvaluator();
        var storage = new InMemoryStudyStorage();

        var result = await BudgetedSearch.RunAsync(Evolutionary(), Context(evaluator, storage, impossible), new SearchBudgets(), CancellationToken.None);

        Assert.AreEqual(SearchStopReason.NoneCanMeet, result.StopReason);
        Assert.AreEqual(Population, evaluator.Evaluations, "the first generation, which holds the smallest sub-network, and no more");
        Assert.HasCount(Population, result.Outcome.Measured);
        Assert.IsNull(result.FirstMet);

        // A resumed study knows it already: nothing more is measured.
        var resumed = new SyntheticEvaluator();
        var again = await BudgetedSearch.RunAsync(Evolutionary(), Context(resumed, storage, impossible), new SearchBudgets(), CancellationToken.None);
        Assert.AreEqual(SearchStopReason.NoneCanMeet, again.StopReason);
        Assert.AreEqual(0, resumed.Evaluations);
    }

    [TestMethod]
    public async Task ABoundTheSmallestSubnetworkMissesOnlyByNoiseLetsTheSearchFinish()
    {
        // 1.54 ms against 1 ms: under the factor of two, so a noisy measurement may not end the search.
        Constraint[] tight = [Constraint.AtMost("latency", 1.0)];
        var storage = new InMemoryStudyStorage();

        var result = await BudgetedSearch.RunAsync(Evolutionary(), Context(new SyntheticEvaluator(), storage, tight), new SearchBudgets(), CancellationToken.None);

        Assert.AreEqual(SearchStopReason.Completed, result.StopReason);
        Assert.HasCount(20, storage.Generations);
    }

    [TestMethod]
    public async Task RandomSearchStopsAfterTheFirstBatchWhenItAlreadyMeetsLooseConstraints()
    {
        Constraint[] loose = [Constraint.AtMost("latency", 100)];
        var evaluator = new SyntheticEvaluator();

        var result = await BudgetedSearch.RunAsync(
            new RandomSearch(40, batchSize: Population), Context(evaluator, new InMemoryStudyStorage(), loose), new SearchBudgets(StopWhenMet: true), CancellationToken.None);

        Assert.AreEqual(SearchStopReason.ConstraintsMet, result.StopReason);
        Assert.AreEqual(Population, evaluator.Evaluations);
        Assert.AreEqual(1, result.ValidationsWhenMet);
        Assert.HasCount(Population, result.Outcome.Measured);
    }

    [TestMethod]
    public async Task AFurtherRequirementTheCandidatesMissKeepsTheSearchGoing()
    {
        Constraint[] loose = [Constraint.AtMost("latency", 100)];
        var evaluator = new SyntheticEvaluator();
        var deepOnly = new SearchBudgets(StopWhenMet: true, AlsoRequired: c => SyntheticSpace.OneUnit.DepthOf(c.Genome) == 4 && SyntheticEvaluator.Accuracy(c.Genome) >= 85);

        var result = await BudgetedSearch.RunAsync(
            new RandomSearch(60, batchSize: Population), Context(evaluator, new InMemoryStudyStorage(), loose), deepOnly, CancellationToken.None);

        Assert.AreEqual(SearchStopReason.ConstraintsMet, result.StopReason);
        Assert.IsGreaterThanOrEqualTo(85, SyntheticEvaluator.Accuracy(result.FirstMet!.Genome));
        Assert.IsTrue(evaluator.Batches.All(b => b == Population), "measured in whole batches");
        Assert.IsGreaterThan(evaluator.Evaluations - Population, result.ValidationsWhenMet!.Value);
        Assert.IsLessThan(60, evaluator.Evaluations);
    }

    [TestMethod]
    public async Task AResumedStudyThatAlreadyMetTheConstraintsMeasuresNothing()
    {
        var storage = new InMemoryStudyStorage();
        await BudgetedSearch.RunAsync(Evolutionary(), Context(new SyntheticEvaluator(), storage), new SearchBudgets(StopWhenMet: true), CancellationToken.None);
        var trials = storage.Trials.Count;
        var resumed = new SyntheticEvaluator();

        var result = await BudgetedSearch.RunAsync(Evolutionary(), Context(resumed, storage), new SearchBudgets(StopWhenMet: true), CancellationToken.None);

        Assert.AreEqual(SearchStopReason.ConstraintsMet, result.StopReason);
        Assert.AreEqual(0, resumed.Evaluations);
        Assert.HasCount(trials, storage.Trials);
        Assert.IsNotEmpty(result.Outcome.Front.Members);
    }

    [TestMethod]
    public async Task TheWallTimeLimitStopsASlowSearchAndKeepsWhatItMeasured()
    {
        var slow = new SlowEvaluator(new SyntheticEvaluator(), batchesBeforeStalling: 2);
        var storage = new InMemoryStudyStorage();

        var result = await BudgetedSearch.RunAsync(
            new RandomSearch(60, batchSize: Population), Context(slow, storage), new SearchBudgets(MaxTime: TimeSpan.FromSeconds(1)), CancellationToken.None);

        Assert.AreEqual(SearchStopReason.WallTime, result.StopReason);
        Assert.HasCount(2 * Population, storage.Trials);
        Assert.HasCount(2 * Population, result.Outcome.Measured);
    }

    [TestMethod]
    public async Task CancellationByTheCallerIsNotABudget()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => BudgetedSearch.RunAsync(
            new RandomSearch(20, batchSize: Population), Context(new SyntheticEvaluator(), new InMemoryStudyStorage()), new SearchBudgets(StopWhenMet: true), cancelled.Token));
    }

    /// <summary>Answers a few batches at once, then waits until cancelled (a device that hangs).</summary>
    private sealed class SlowEvaluator(IEvaluator inner, int batchesBeforeStalling) : IEvaluator
    {
        private int _batches;

        public IReadOnlyList<Objective> Objectives => inner.Objectives;

        public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            if (++_batches > batchesBeforeStalling)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }

            return await inner.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
        }
    }
}
