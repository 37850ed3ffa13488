using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Operators;

namespace HwAwareNas.Search.Tests;

[TestClass]
public sealed class Nsga2Tests
{
    private static readonly double[] ZdtReference = [1.1, 1.1];

    [TestMethod]
    [DataRow(false, DisplayName = "ZDT1")]
    [DataRow(true, DisplayName = "ZDT2")]
    public async Task Nsga2ReachesNinetyFivePercentOfTheTrueFrontHypervolume(bool concave)
    {
        var problem = new ZdtProblem(concave);
        var algorithm = Nsga2.Create(problem, problem.Objectives, [], new Nsga2Settings(60, new Termination(maxGenerations: 150), Seed: 1));

        await AskTellLoop.RunAsync(algorithm, problem, CancellationToken.None);

        var trueHv = Hypervolume.Compute(problem.TrueFront(), ZdtReference);
        var foundHv = algorithm.Front.Hypervolume(ZdtReference);
        Assert.AreEqual(150 * 60, algorithm.Evaluations);
        Assert.IsGreaterThanOrEqualTo(0.95 * trueHv, foundHv, $"found {foundHv:F4} of {trueHv:F4}");
        Assert.IsLessThanOrEqualTo(trueHv + 1e-9, foundHv);
    }

    [TestMethod]
    public async Task Nsga2IsDeterministicUnderASeed()
    {
        var problem = new ZdtProblem(concave: false);

        async Task<string[]> RunAsync(int seed)
        {
            var algorithm = Nsga2.Create(problem, problem.Objectives, [], new Nsga2Settings(20, new Termination(maxGenerations: 15), seed));
            await AskTellLoop.RunAsync(algorithm, problem, CancellationToken.None);
            return [.. algorithm.Population.Select(i => i.Candidate.Genome.Key)];
        }

        var first = await RunAsync(7);
        var again = await RunAsync(7);
        var other = await RunAsync(8);

        CollectionAssert.AreEqual(first, again);
        CollectionAssert.AreNotEqual(first, other);
    }

    [TestMethod]
    public async Task HardLatencyConstraintKeepsThePopulationFeasible()
    {
        var space = SyntheticSpace.OneUnit;
        var evaluator = new SyntheticEvaluator();
        var budget = 3.0;
        var algorithm = Nsga2.Create(space, evaluator.Objectives, [Constraint.AtMost("latency", budget)],
            new Nsga2Settings(16, new Termination(maxGenerations: 12), Seed: 3));

        await AskTellLoop.RunAsync(algorithm, evaluator, CancellationToken.None);

        Assert.IsTrue(algorithm.Population.All(i => i.Candidate.IsFeasible));
        Assert.IsTrue(algorithm.Population.All(i => i.Candidate.Values[1] <= budget));
        Assert.IsNotEmpty(algorithm.Front.Members);
        Assert.AreEqual(1.0, algorithm.Progress);
    }

    [TestMethod]
    public async Task OffspringAreNeverDuplicatesOfThePopulation()
    {
        var space = SyntheticSpace.OneUnit;
        var evaluator = new SyntheticEvaluator();
        var algorithm = Nsga2.Create(space, evaluator.Objectives, [], new Nsga2Settings(10, new Termination(maxGenerations: 5), Seed: 2));

        while (!algorithm.IsDone)
        {
            var existing = algorithm.Population.Select(i => space.Canonicalize(i.Candidate.Genome)).ToHashSet();
            var asked = algorithm.Ask();
            var canonical = asked.Select(space.Canonicalize).ToList();
            Assert.AreEqual(canonical.Count, canonical.Distinct().Count());
            Assert.IsFalse(canonical.Any(existing.Contains));
            algorithm.Tell(await evaluator.EvaluateAsync(asked, CancellationToken.None));
        }

        Assert.AreEqual(5, algorithm.Generation);
    }

    [TestMethod]
    public void AskTellOutOfOrderIsRejected()
    {
        var space = SyntheticSpace.OneUnit;
        var evaluator = new SyntheticEvaluator();
        var algorithm = Nsga2.Create(space, evaluator.Objectives, [], new Nsga2Settings(4, new Termination(maxGenerations: 2)));

        Assert.ThrowsExactly<InvalidOperationException>(() => algorithm.Tell([]));
        var asked = algorithm.Ask();
        Assert.ThrowsExactly<InvalidOperationException>(() => algorithm.Ask());
        Assert.ThrowsExactly<ArgumentException>(() => algorithm.Tell([]));
        Assert.HasCount(4, asked);
    }

    [TestMethod]
    public async Task StagnationStopsASearchThatStopsImproving()
    {
        // Under a tight latency budget only a few small networks are feasible: the front stops changing early.
        var space = SyntheticSpace.OneUnit;
        var evaluator = new SyntheticEvaluator();
        var algorithm = Nsga2.Create(space, evaluator.Objectives, [Constraint.AtMost("latency", 1.5)],
            new Nsga2Settings(8, new Termination(maxGenerations: 500, stagnationGenerations: 5), Seed: 1));

        await AskTellLoop.RunAsync(algorithm, evaluator, CancellationToken.None);

        Assert.IsLessThan(500, algorithm.Generation);
        Assert.AreEqual(5, algorithm.State.StagnantGenerations);
    }

    [TestMethod]
    public async Task WarmStartPopulationIsTheFirstGenerationAsked()
    {
        var space = SyntheticSpace.OneUnit;
        Genome[] initial = [space.Largest(), space.Smallest()];
        var algorithm = Nsga2.Create(space, new SyntheticEvaluator().Objectives, [],
            new Nsga2Settings(6, new Termination(maxGenerations: 1), InitialPopulation: initial));

        var asked = algorithm.Ask();

        Assert.AreEqual(initial[0], asked[0]);
        Assert.AreEqual(initial[1], asked[1]);
        Assert.HasCount(6, asked);
        algorithm.Tell(await new SyntheticEvaluator().EvaluateAsync(asked, CancellationToken.None));
        Assert.IsTrue(algorithm.IsDone);
    }
}
