using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Operators;

namespace HwAwareNas.Search.Tests;

[TestClass]
public sealed class OperatorTests
{
    private static readonly SyntheticSpace Space = SyntheticSpace.OneUnit;

    [TestMethod]
    public void IntegerRandomSamplingIsReproducibleUnderASeed()
    {
        var sampling = new IntegerRandomSampling();

        var first = sampling.Sample(Space, 20, new Random(5));
        var second = sampling.Sample(Space, 20, new Random(5));

        CollectionAssert.AreEqual(first.ToArray(), second.ToArray());
        Assert.IsTrue(first.All(g => Space.IsValid(g)));
        Assert.IsGreaterThan(1, first.Distinct().Count());
    }

    [TestMethod]
    public void PopulationSamplingStartsFromTheGivenGenomesAndFillsTheRest()
    {
        Genome[] given = [Space.Largest(), Space.Smallest()];

        var sampled = new PopulationSampling(given).Sample(Space, 5, new Random(1));
        var truncated = new PopulationSampling(given).Sample(Space, 1, new Random(1));

        Assert.HasCount(5, sampled);
        Assert.AreEqual(given[0], sampled[0]);
        Assert.AreEqual(given[1], sampled[1]);
        CollectionAssert.AreEqual(new[] { given[0] }, truncated.ToArray());
    }

    [TestMethod]
    public void RandomResetMutationChangesAboutOneGenePerOffspringByDefault()
    {
        var mutation = new RandomResetMutation();
        var random = new Random(3);
        var parent = Space.Smallest();
        const int trials = 4000;

        var changed = Enumerable.Range(0, trials)
            .Select(_ => mutation.Mutate(Space, parent, random))
            .Sum(child => child.Choices.Zip(parent.Choices).Count(p => p.First != p.Second));

        Assert.AreEqual(1.0, (double)changed / trials, 0.1);
    }

    [TestMethod]
    public void RandomResetMutationAtRateOneChangesEveryGeneAndAtZeroNone()
    {
        var random = new Random(4);
        var parent = Space.Smallest();

        var all = new RandomResetMutation(1).Mutate(Space, parent, random);
        var none = new RandomResetMutation(0).Mutate(Space, parent, random);

        Assert.IsTrue(all.Choices.All(c => c != 0));
        Assert.AreEqual(parent, none);
    }

    [TestMethod]
    public void UniformCrossoverSwapsGenesBetweenParentsOnly()
    {
        var a = Space.Smallest();
        var b = Space.Largest();

        var (c, d) = new UniformCrossover(1).Cross(a, b, new Random(2));
        var (e, f) = new UniformCrossover(0).Cross(a, b, new Random(2));

        for (var i = 0; i < a.Length; i++)
        {
            CollectionAssert.AreEquivalent(new[] { a[i], b[i] }, new[] { c[i], d[i] });
        }

        Assert.AreNotEqual(a, c);
        Assert.AreNotEqual(b, c);
        Assert.AreEqual(a, e);
        Assert.AreEqual(b, f);
    }

    [TestMethod]
    public void SinglePointCrossoverExchangesTails()
    {
        var a = Space.Smallest();
        var b = Space.Largest();

        var (c, d) = new SinglePointCrossover(1).Cross(a, b, new Random(9));

        var cut = c.Choices.IndexOf(2);
        Assert.IsGreaterThan(0, cut);
        CollectionAssert.AreEqual(a.Choices.Take(cut).Concat(b.Choices.Skip(cut)).ToArray(), c.Choices.ToArray());
        CollectionAssert.AreEqual(b.Choices.Take(cut).Concat(a.Choices.Skip(cut)).ToArray(), d.Choices.ToArray());
    }

    [TestMethod]
    public void DuplicateEliminationJudgesOnCanonicalGenomes()
    {
        // Depth 2 (choice 0): blocks 2 and 3 are inactive, so genes 3, 4, 7 and 8 do not matter.
        var shallow = new Genome([0, 1, 2, 0, 0, 1, 1, 0, 0]);
        var sameNetwork = new Genome([0, 1, 2, 2, 1, 1, 1, 2, 2]);
        var different = new Genome([1, 1, 2, 2, 1, 1, 1, 2, 2]);
        var existing = new Genome([2, 2, 2, 2, 2, 2, 2, 2, 2]);

        var kept = new CanonicalDuplicateElimination().Eliminate(Space, [shallow, sameNetwork, different, existing], [existing]);

        CollectionAssert.AreEqual(new[] { shallow, different }, kept.ToArray());
    }

    [TestMethod]
    public void BinaryTournamentPrefersFeasibleThenRankThenCrowding()
    {
        var infeasible = Individual(0, 0, rank: 0, crowding: 9, violation: 0.1);
        var feasibleWorse = Individual(1, 1, rank: 3, crowding: 0);
        var rankOne = Individual(2, 2, rank: 1, crowding: 0);
        var rankOneCrowded = Individual(3, 3, rank: 1, crowding: 5);
        var selection = new BinaryTournamentSelection();
        var random = new Random(1);

        // In a population of two, the loser only wins when it meets itself: a quarter of the tournaments.
        foreach (var (loser, winner) in new[] { (infeasible, feasibleWorse), (feasibleWorse, rankOne), (rankOne, rankOneCrowded) })
        {
            var winners = selection.SelectParents([loser, winner], 4000, random);
            Assert.AreEqual(0.75, winners.Count(w => w == 1) / 4000.0, 0.03);
        }
    }

    [TestMethod]
    public void RankAndCrowdingSurvivalKeepsFeasibleFirstAndCutsTheLastFrontByCrowding()
    {
        Individual[] candidates =
        [
            Individual(0, 4, 0, 0), Individual(1, 3, 0, 0), Individual(2, 1, 0, 0), Individual(4, 0, 0, 0),
            Individual(5, 5, 0, 0),
            Individual(-1, -1, 0, 0, violation: 0.5),
        ];

        var survivors = new RankAndCrowdingSurvival().Survive(candidates, 3);

        // Front 0 has four points; the two extremes (∞) and (2,1) with crowding 1.5 beat (1,3) with 1.25.
        CollectionAssert.AreEquivalent(new[] { candidates[0].Candidate, candidates[2].Candidate, candidates[3].Candidate },
            survivors.Select(s => s.Candidate).ToArray());
        Assert.IsTrue(survivors.All(s => s.Rank == 0));

        var all = new RankAndCrowdingSurvival().Survive(candidates, 6);
        Assert.AreEqual(candidates[5].Candidate, all[^1].Candidate);
        Assert.AreEqual(2, all[^1].Rank);
    }

    [TestMethod]
    public void TerminationProgressIsTheLargestFractionOfAnyLimit()
    {
        var termination = new Termination(maxGenerations: 10, maxEvaluations: 1000, stagnationGenerations: 4);

        Assert.AreEqual(0.5, termination.Progress(new TerminationState(5, 100, TimeSpan.Zero, 0)), 1e-12);
        Assert.AreEqual(0.75, termination.Progress(new TerminationState(5, 100, TimeSpan.Zero, 3)), 1e-12);
        Assert.IsFalse(termination.HasTerminated(new TerminationState(9, 999, TimeSpan.Zero, 3)));
        Assert.IsTrue(termination.HasTerminated(new TerminationState(2, 1000, TimeSpan.Zero, 0)));
        Assert.IsTrue(new Termination(maxWallTime: TimeSpan.FromSeconds(1)).HasTerminated(new TerminationState(1, 1, TimeSpan.FromSeconds(2), 0)));
        Assert.ThrowsExactly<ArgumentException>(() => new Termination());
    }

    private static int _next;

    private static Individual Individual(double f1, double f2, int rank, double crowding, double violation = 0)
    {
        var genome = new Genome([Interlocked.Increment(ref _next)]);
        var candidate = new EvaluatedCandidate(genome, [f1, f2], EvaluationOrigin.Measured, violation);
        return new Individual(candidate, [f1, f2], rank, crowding);
    }
}
