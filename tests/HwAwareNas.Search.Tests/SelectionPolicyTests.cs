using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Selection;

namespace HwAwareNas.Search.Tests;

[TestClass]
public sealed class SelectionPolicyTests
{
    private static readonly IReadOnlyList<Objective> AccLat = [Objective.Accuracy, Objective.Latency];

    private static readonly EvaluatedCandidate[] Front =
    [
        Candidate(1, 60, 1), Candidate(2, 75, 2), Candidate(3, 80, 4), Candidate(4, 82, 8), Candidate(5, 83, 10),
    ];

    [TestMethod]
    public void MaxAccuracyPicksTheMostAccurateWithinTheLatencyBudget()
    {
        var result = BestObjectivePolicy.MaxAccuracy([Constraint.AtMost("latency", 5)]).Choose(AccLat, Front);

        Assert.IsTrue(result.IsFeasible);
        Assert.AreEqual(Front[2].Genome, result.Chosen!.Genome);
    }

    [TestMethod]
    public void MaxAccuracyBreaksTiesByLatencyThenGenomeKey()
    {
        EvaluatedCandidate[] tied = [Candidate(9, 80, 5), Candidate(8, 80, 4), Candidate(7, 80, 4)];

        var result = BestObjectivePolicy.MaxAccuracy([]).Choose(AccLat, tied);

        Assert.AreEqual(tied[2].Genome, result.Chosen!.Genome);
    }

    [TestMethod]
    public void MinLatencyPicksTheFastestAboveTheAccuracyFloor()
    {
        var result = BestObjectivePolicy.MinLatency(78, []).Choose(AccLat, Front);

        Assert.AreEqual(Front[2].Genome, result.Chosen!.Genome);
    }

    [TestMethod]
    public void KneePicksThePointFarthestBelowTheLineBetweenExtremes()
    {
        // Normalised (minimization) the front is (1,0) (0.348,0.111) (0.130,0.333) (0.043,0.778) (0,1): the
        // distance below x + y = 1 is largest for (0.348, 0.111), i.e. accuracy 75 at 2 ms.
        var result = new KneePolicy([]).Choose(AccLat, Front);

        Assert.AreEqual(Front[1].Genome, result.Chosen!.Genome);
    }

    [TestMethod]
    public void NoFeasibleCandidateReportsTheNearestAndByHowMuchTheyMiss()
    {
        var result = BestObjectivePolicy.MaxAccuracy([Constraint.AtMost("latency", 0.5), Constraint.AtLeast("accuracy", 70)]).Choose(AccLat, Front);

        Assert.IsFalse(result.IsFeasible);
        Assert.IsNull(result.Chosen);
        Assert.HasCount(3, result.Nearest);

        // Relative misses: (60,1) → 0.5/0.5 + 10/70 ≈ 1.14; (75,2) → 1.5/0.5 = 3; (80,4) → 7.
        Assert.AreEqual(Front[0].Genome, result.Nearest[0].Candidate.Genome);
        Assert.HasCount(2, result.Nearest[0].Misses);
        Assert.AreEqual(0.5, result.Nearest[0].Misses[0].Miss, 1e-12);
        Assert.AreEqual(10, result.Nearest[0].Misses[1].Miss, 1e-12);
        Assert.AreEqual(Front[1].Genome, result.Nearest[1].Candidate.Genome);
        Assert.HasCount(1, result.Nearest[1].Misses);
        Assert.AreEqual(1.5, result.Nearest[1].Misses[0].Miss, 1e-12);
        StringAssert.Contains(result.Describe(), "latency = 1 ms misses latency <= 0.5 ms by 0.5 ms");
    }

    private static EvaluatedCandidate Candidate(int id, double accuracy, double latency) =>
        new(new Genome([id]), [accuracy, latency], EvaluationOrigin.Measured);
}
