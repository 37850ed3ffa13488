using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Operators;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Study;

namespace HwAwareNas.Search.Tests;

/// <summary>
/// Every strategy searches the elastic Transformer's space (a reduced <c>small</c> preset) like the convolutional
/// families': accuracy and latency stand-ins computed from the sub-network's exact parameter and MAC counts.
/// </summary>
[TestClass]
public sealed class TransformerSearchTests
{
    private const double LatencyBudget = 2.0;

    private static readonly IElasticFamily Family = FamilyRegistry.Create(
        "transformer",
        new FamilyOptions(new FeatureShape(1, 28, 28), 10, FamilySettingsReader.Split("w=32/48/64,d=1/2/3,h=1/2,r=2/4")));

    public static IEnumerable<object[]> Strategies =>
    [
        [new RandomSearch(30)],
        [new EvolutionarySearch(new Nsga2Settings(10, new Termination(maxGenerations: 3)))],
        [new FullSearch(20, _ => new RidgeSurrogate(Family), new Nsga2Settings(10, new Termination(maxGenerations: 20)))],
        [new ConcurrentSearch(10, 20, 30, _ => new RidgeSurrogate(Family))],
        [WarmStartSearch.From([Family.Largest(), Family.Smallest()], new Nsga2Settings(10, new Termination(maxGenerations: 3)))],
    ];

    [TestMethod]
    [DynamicData(nameof(Strategies))]
    public async Task EveryStrategyReturnsAMeasuredFeasibleFrontOfValidSubnetworks(ISearchStrategy strategy)
    {
        var evaluator = new CountingEvaluator();
        var storage = new InMemoryStudyStorage();
        var context = new SearchContext(Family, evaluator, [Constraint.AtMost("latency", LatencyBudget)], storage, Seed: 3);

        var outcome = await strategy.RunAsync(context, CancellationToken.None);

        Assert.IsNotEmpty(outcome.Front.Members, strategy.GetType().Name);
        Assert.IsTrue(storage.Trials.All(t => Family.IsValid(t.Candidate.Genome)));
        Assert.IsGreaterThan(1, storage.Trials.Select(t => Family.Canonicalize(t.Candidate.Genome)).Distinct().Count());
        foreach (var member in outcome.Front.Members)
        {
            Assert.AreEqual(EvaluationOrigin.Measured, member.Origin);
            Assert.IsLessThanOrEqualTo(LatencyBudget, CountingEvaluator.Latency(member.Genome));
        }

        var vectors = ObjectiveVectors.ToMinimization(outcome.Front.Objectives, outcome.Front.Members);
        Assert.IsFalse(vectors.Any(a => vectors.Any(b => Dominance.Dominates(b, a))));
    }

    /// <summary>Accuracy grows with the logarithm of the parameters, latency with the MACs (1 per 100,000).</summary>
    private sealed class CountingEvaluator : IEvaluator
    {
        public IReadOnlyList<Objective> Objectives { get; } = [Objective.Accuracy, Objective.Latency];

        public static double Latency(Genome genome) => Family.Plan(genome).MultiplyAccumulates / 1e5;

        public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            IReadOnlyList<EvaluatedCandidate> result = [.. genomes.Select(g => new EvaluatedCandidate(
                g, [Math.Log10(Family.Plan(g).Parameters) / 6, Latency(g)], EvaluationOrigin.Measured))];
            return Task.FromResult(result);
        }
    }
}
