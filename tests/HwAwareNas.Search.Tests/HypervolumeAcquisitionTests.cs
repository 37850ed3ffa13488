using HwAwareNas.Core.Evaluation;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Strategies;

namespace HwAwareNas.Search.Tests;

/// <summary>
/// The expected-hypervolume acquisition on scripted predictions (minimization form: x = −accuracy-like, y = latency-like)
/// against a measured front of (1, 3) and (3, 1) with reference point (4, 4).
/// </summary>
[TestClass]
public sealed class HypervolumeAcquisitionTests
{
    private static readonly double[][] Front = [[1, 3], [3, 1]];
    private static readonly double[] Reference = [4, 4];

    [TestMethod]
    public void Improvement_IsTheVolumeThePointAddsToTheFront()
    {
        Assert.AreEqual(1.0, HypervolumeAcquisition.Improvement([2, 2], Front, Reference), 1e-12, "the square between the two members");
        Assert.AreEqual(0.0, HypervolumeAcquisition.Improvement([2, 3.5], Front, Reference), 1e-12, "dominated by (1, 3)");
        Assert.AreEqual(0.0, HypervolumeAcquisition.Improvement([5, 0], Front, Reference), 1e-12, "beyond the reference point");
        Assert.AreEqual(16.0 - 5.0, HypervolumeAcquisition.Improvement([0, 0], Front, Reference), 1e-12, "dominates the whole front");

        // Three objectives go through the exact hypervolume: the improvement is the difference of two volumes.
        double[][] front3 = [[1, 3, 2], [3, 1, 2], [2, 2, 1]];
        double[] reference3 = [4, 4, 4];
        double[] point = [1.5, 1.5, 3];
        var expected = Hypervolume.Compute([.. front3, point], reference3) - Hypervolume.Compute(front3, reference3);
        Assert.IsGreaterThan(0.0, expected);
        Assert.AreEqual(expected, HypervolumeAcquisition.Improvement(point, front3, reference3), 1e-12);
    }

    [TestMethod]
    public void PicksThePointThatGrowsTheFrontOverOneItDominates()
    {
        double[][] means = [[2.5, 3.5], [2, 2]];
        double[][] deviations = [[0.05, 0.05], [0.05, 0.05]];

        var batch = HypervolumeAcquisition.SelectBatch(means, deviations, [1, 1], Front, Reference, 1, seed: 1);

        CollectionAssert.AreEqual(new[] { 1 }, batch.ToArray());
    }

    [TestMethod]
    public void UncertaintyBreaksTiesTowardsExploration()
    {
        // Both predicted just behind the front: only the uncertain one can plausibly improve it.
        double[][] behind = [[2.2, 3.2], [2.2, 3.2]];
        var picked = HypervolumeAcquisition.SelectBatch(behind, [[0.01, 0.01], [0.5, 0.5]], [1, 1], Front, Reference, 1, seed: 1);
        CollectionAssert.AreEqual(new[] { 1 }, picked.ToArray());

        // Both far behind the front (no improvement either way): the larger scaled uncertainty still goes first.
        double[][] hopeless = [[3.9, 3.9], [3.9, 3.9], [3.9, 3.9]];
        var order = HypervolumeAcquisition.SelectBatch(hopeless, [[0.001, 0], [0.01, 0.01], [0.002, 0]], [1, 1, 1], Front, Reference, 3, seed: 1);
        CollectionAssert.AreEqual(new[] { 1, 2, 0 }, order.ToArray());
    }

    [TestMethod]
    public void TheUncertaintyWeightTradesAnUncertainLongShotForACertainSmallGain()
    {
        // (2.95, 2.95) surely adds the 0.05 × 0.05 corner; (3.2, 3.2) is predicted behind the front but very uncertain.
        double[][] means = [[2.95, 2.95], [3.2, 3.2]];
        double[][] deviations = [[0.001, 0.001], [1, 1]];

        var asReported = HypervolumeAcquisition.SelectBatch(means, deviations, [1, 1], Front, Reference, 1, seed: 1);
        var meansOnly = HypervolumeAcquisition.SelectBatch(means, deviations, [1, 1], Front, Reference, 1, seed: 1, uncertaintyWeight: 0);

        CollectionAssert.AreEqual(new[] { 1 }, asReported.ToArray());
        CollectionAssert.AreEqual(new[] { 0 }, meansOnly.ToArray());
    }

    [TestMethod]
    public void ABatchSpreadsOverTheFrontInsteadOfStackingNearCopies()
    {
        // 0 and 1 are near-copies with the largest gain; 2 gains less alone but fills another gap.
        double[][] means = [[2, 2], [2.01, 2.01], [0.5, 3.5]];
        double[][] deviations = [[0.01, 0.01], [0.01, 0.01], [0.01, 0.01]];

        var batch = HypervolumeAcquisition.SelectBatch(means, deviations, [1, 1, 1], Front, Reference, 2, seed: 1);

        CollectionAssert.AreEqual(new[] { 0, 2 }, batch.ToArray());
    }

    [TestMethod]
    public void UnlikelyFeasibleCandidatesWaitBehindLikelyOnes()
    {
        double[][] means = [[0, 0], [2, 2]];
        double[][] deviations = [[0.01, 0.01], [0.01, 0.01]];

        var batch = HypervolumeAcquisition.SelectBatch(means, deviations, [0.01, 0.9], Front, Reference, 2, seed: 1);

        CollectionAssert.AreEqual(new[] { 1, 0 }, batch.ToArray());
    }

    [TestMethod]
    public void TheSameSeedChoosesTheSameBatch_AndABatchNeverExceedsTheCandidates()
    {
        var random = new Random(3);
        var means = Enumerable.Range(0, 60).Select(_ => new[] { 0.5 + (3 * random.NextDouble()), 0.5 + (3 * random.NextDouble()) }).ToArray();
        var deviations = means.Select(_ => new[] { 0.3 * random.NextDouble(), 0.3 * random.NextDouble() }).ToArray();
        var feasible = means.Select(_ => 1.0).ToArray();

        var first = HypervolumeAcquisition.SelectBatch(means, deviations, feasible, Front, Reference, 8, seed: 5);
        var again = HypervolumeAcquisition.SelectBatch(means, deviations, feasible, Front, Reference, 8, seed: 5);
        var all = HypervolumeAcquisition.SelectBatch(means, deviations, feasible, Front, Reference, 100, seed: 5);

        CollectionAssert.AreEqual(first.ToArray(), again.ToArray());
        Assert.HasCount(8, first.Distinct());
        Assert.HasCount(60, all.Distinct());
    }

    [TestMethod]
    public void FeasibilityIsTheChanceOfMeetingEveryConstraint()
    {
        Objective[] objectives = [Objective.Accuracy, Objective.Latency];
        double[] means = [0.8, 2.0];
        double[] deviations = [0.02, 0.5];

        Assert.AreEqual(0.5, FeasibilityProbability.Of(objectives, [Constraint.AtMost("latency", 2.0)], means, deviations), 1e-6);
        Assert.AreEqual(0.8413, FeasibilityProbability.Of(objectives, [Constraint.AtMost("latency", 2.5)], means, deviations), 1e-4);
        Assert.AreEqual(
            0.5 * 0.1587,
            FeasibilityProbability.Of(objectives, [Constraint.AtMost("latency", 2.0), Constraint.AtLeast("accuracy", 0.82)], means, deviations),
            1e-4);

        // Of a set of alternatives, the most likely member counts; a value the search does not predict is no constraint.
        Constraint[] either = [Constraint.AtMost("latency", 1.0) with { AnyOf = "devices" }, Constraint.AtMost("latency", 2.5) with { AnyOf = "devices" }];
        Assert.AreEqual(0.8413, FeasibilityProbability.Of(objectives, either, means, deviations), 1e-4);
        Assert.AreEqual(1.0, FeasibilityProbability.Of(objectives, [Constraint.AtMost("params", 1.0)], means, deviations));

        // Exact predictions meet a bound or not.
        Assert.AreEqual(0.0, FeasibilityProbability.Of(objectives, [Constraint.AtMost("latency", 1.9)], means, [0, 0]));
    }
}
