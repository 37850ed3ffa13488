using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Operators;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Study;

namespace HwAwareNas.Search.Tests;

/// <summary>NSGA-II with a third, structural objective (a parameter count): accuracy, latency and params.</summary>
[TestClass]
public sealed class ThreeObjectiveSearchTests
{
    private static readonly SyntheticSpace Space = SyntheticSpace.OneUnit;
    private static readonly Constraint[] Budget = [Constraint.AtMost("latency", 6.0)];

    [TestMethod]
    public async Task EvolutionarySearchOptimisesAllThreeObjectivesAndApproachesTheTrue3DFront()
    {
        var evaluator = new ParamsEvaluator();
        var objectives = evaluator.Objectives;
        var all = Space.AllCanonical().Select(g => evaluator.Evaluate(g).WithConstraints(objectives, Budget)).ToList();
        var trueFront = ParetoFront.Of(objectives, all);
        var reference = HypervolumeReference.For(objectives, trueFront.Members);
        var strategy = new EvolutionarySearch(new Nsga2Settings(24, new Termination(maxGenerations: 20)));

        var outcome = await strategy.RunAsync(new SearchContext(Space, evaluator, Budget, new InMemoryStudyStorage(), Seed: 4), CancellationToken.None);

        Assert.IsTrue(outcome.Front.Members.All(m => m.Values.Count == 3));
        var ratio = outcome.Front.Hypervolume(reference) / trueFront.Hypervolume(reference);
        Assert.IsGreaterThanOrEqualTo(0.9, ratio, $"3-D hypervolume ratio {ratio:F4}");

        // Members that only win on params: dominated on accuracy and latency alone, kept because they are smaller.
        var twoObjectives = objectives.Take(2).ToArray();
        var onlyOnParams = outcome.Front.Members.Where(m => outcome.Front.Members.Any(o =>
            Dominance.Dominates(ObjectiveVectors.ToMinimization(twoObjectives, Project(o)), ObjectiveVectors.ToMinimization(twoObjectives, Project(m))))).ToList();
        Assert.IsNotEmpty(onlyOnParams, "the third objective shapes the front");
    }

    private static EvaluatedCandidate Project(EvaluatedCandidate candidate) => candidate with { Values = [.. candidate.Values.Take(2)] };

    /// <summary>The synthetic accuracy and latency plus a parameter count that grows with expand ratio and depth, not kernel.</summary>
    private sealed class ParamsEvaluator : IEvaluator
    {
        private readonly SyntheticEvaluator _inner = new();

        public IReadOnlyList<Objective> Objectives { get; } = [Objective.Accuracy, Objective.Latency, Objective.Params];

        public static double Params(Genome g) =>
            Enumerable.Range(0, SyntheticSpace.OneUnit.DepthOf(g)).Sum(b => 1000.0 * new[] { 3, 4, 6 }[SyntheticSpace.OneUnit.ExpandIndexOf(g, b)]);

        public EvaluatedCandidate Evaluate(Genome g)
        {
            var two = _inner.Evaluate(g);
            return two with { Values = [.. two.Values, Params(g)] };
        }

        public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            IReadOnlyList<EvaluatedCandidate> result = [.. genomes.Select(Evaluate)];
            return Task.FromResult(result);
        }
    }
}
