using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Tests;

[TestClass]
public sealed class IndicatorTests
{
    private static readonly IReadOnlyList<Objective> AccLat = [Objective.Accuracy, Objective.Latency];

    [TestMethod]
    public void NonDominatedSortSplitsHandComputedFrontsWithTiesAndDuplicates()
    {
        double[][] points = [[1, 5], [2, 3], [3, 1], [2, 3], [3, 4], [4, 4], [1, 5], [5, 5]];

        var fronts = NonDominatedSorting.Sort(points);

        Assert.HasCount(4, fronts);
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 6 }, fronts[0].ToArray());
        CollectionAssert.AreEqual(new[] { 4 }, fronts[1].ToArray());
        CollectionAssert.AreEqual(new[] { 5 }, fronts[2].ToArray());
        CollectionAssert.AreEqual(new[] { 7 }, fronts[3].ToArray());
    }

    [TestMethod]
    public void ConstrainedSortPutsFeasibleFirstThenLeastViolation()
    {
        double[][] points = [[1, 1], [5, 5], [4, 4], [0, 0], [2, 2]];
        double[] violations = [0.5, 0, 0, 0.2, 0.2];

        var fronts = NonDominatedSorting.Sort(points, violations);

        Assert.HasCount(4, fronts);
        CollectionAssert.AreEqual(new[] { 2 }, fronts[0].ToArray());
        CollectionAssert.AreEqual(new[] { 1 }, fronts[1].ToArray());
        CollectionAssert.AreEqual(new[] { 3, 4 }, fronts[2].ToArray());
        CollectionAssert.AreEqual(new[] { 0 }, fronts[3].ToArray());
    }

    [TestMethod]
    public void CrowdingDistanceMatchesHandComputation()
    {
        var distances = CrowdingDistance.Compute([[0, 4], [1, 3], [2, 1], [4, 0]]);

        CollectionAssert.AreEqual(new[] { double.PositiveInfinity, 1.25, 1.5, double.PositiveInfinity }, distances);
    }

    [TestMethod]
    public void CrowdingDistanceGivesLaterDuplicatesZero()
    {
        var distances = CrowdingDistance.Compute([[0, 4], [1, 3], [1, 3], [2, 1], [4, 0]]);

        CollectionAssert.AreEqual(new[] { double.PositiveInfinity, 1.25, 0, 1.5, double.PositiveInfinity }, distances);
    }

    [TestMethod]
    public void CrowdingDistanceOfTwoDistinctPointsIsInfinite()
    {
        var distances = CrowdingDistance.Compute([[0, 1], [1, 0], [1, 0]]);

        CollectionAssert.AreEqual(new[] { double.PositiveInfinity, double.PositiveInfinity, 0 }, distances);
    }

    [TestMethod]
    public void Hypervolume2DIgnoresDominatedDuplicateAndOutsidePoints()
    {
        double[][] front = [[1, 3], [2, 2], [3, 1]];
        double[][] noisy = [.. front, [3, 3], [2, 2], [5, 0], [4, 1]];

        Assert.AreEqual(6, Hypervolume.Compute(front, [4, 4]), 1e-12);
        Assert.AreEqual(6, Hypervolume.Compute(noisy, [4, 4]), 1e-12);
        Assert.AreEqual(0, Hypervolume.Compute([], [4, 4]));
    }

    [TestMethod]
    public void Hypervolume3DMatchesInclusionExclusionByHand()
    {
        // Boxes to (4,4,4): A 3·3·1 = 9, B 2·2·3 = 12, C 1·3·2 = 6; pairwise A∩B 4, A∩C 3, B∩C 4; all three 2.
        double[][] points = [[1, 1, 3], [2, 2, 1], [3, 1, 2]];

        Assert.AreEqual(9 + 12 + 6 - 4 - 3 - 4 + 2, Hypervolume.Compute(points, [4, 4, 4]), 1e-12);
        Assert.AreEqual(9 + 12 - 4, Hypervolume.Compute(points[..2], [4, 4, 4]), 1e-12);
    }

    [TestMethod]
    [DataRow(3, 7)]
    [DataRow(4, 11)]
    public void HypervolumeNDMatchesCountingDominatedUnitCells(int dims, int seed)
    {
        // Integer points: the exact volume is the number of unit cells whose lower corner some point weakly dominates.
        const int side = 5;
        var random = new Random(seed);
        var points = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, dims).Select(_ => (double)random.Next(side)).ToArray()).ToList();
        var cells = 0;
        var total = (int)Math.Pow(side, dims);
        for (var c = 0; c < total; c++)
        {
            var corner = new double[dims];
            for (int k = 0, rest = c; k < dims; k++, rest /= side)
            {
                corner[k] = rest % side;
            }

            cells += points.Any(p => Dominance.WeaklyDominates(p, corner)) ? 1 : 0;
        }

        Assert.AreEqual(cells, Hypervolume.Compute(points, [.. Enumerable.Repeat((double)side, dims)]), 1e-9);
    }

    [TestMethod]
    public void ReferencePointIsZeroAccuracyAndElevenTenthsOfLargestLatency()
    {
        var front = new[] { Candidate(90, 10), Candidate(80, 4) };

        var reference = HypervolumeReference.For(AccLat, front);

        Assert.AreEqual(0, reference[0]);
        Assert.AreEqual(11, reference[1], 1e-12);

        // Minimization form: (-90, 10) and (-80, 4) against (0, 11): 80·7 + 10·1.
        Assert.AreEqual((80 * 7) + (10 * 1), ParetoFront.Of(AccLat, front).Hypervolume(), 1e-9);
    }

    [TestMethod]
    public void ParetoFrontKeepsFeasibleNonDominatedOncePerGenome()
    {
        var a = Candidate(90, 10);
        var b = Candidate(80, 4);
        var dominated = Candidate(70, 5);
        var infeasible = Candidate(99, 1) with { ConstraintViolation = 0.3 };

        var front = ParetoFront.Of(AccLat, [dominated, b, a, infeasible, a]);

        CollectionAssert.AreEqual(new[] { a, b }, front.Members.ToArray());
    }

    [TestMethod]
    public void MeanReductionInAccuracyMatchesHandComputation()
    {
        EvaluatedCandidate[] trueFront = [Candidate(90, 10), Candidate(80, 5), Candidate(70, 2)];
        EvaluatedCandidate[] predicted = [Candidate(85, 9), Candidate(75, 4)];

        // Budget 10 → 85 (loses 5); budget 5 → 75 (loses 5); budget 2 → nothing fits (loses 70).
        Assert.AreEqual(80.0 / 3, MeanReductionInAccuracy.Compute(AccLat, trueFront, predicted), 1e-12);
        Assert.AreEqual(0, MeanReductionInAccuracy.Compute(AccLat, trueFront, trueFront), 1e-12);
    }

    private static int _next;

    private static EvaluatedCandidate Candidate(double accuracy, double latency) =>
        new(new Genome([Interlocked.Increment(ref _next)]), [accuracy, latency], EvaluationOrigin.Measured);
}
