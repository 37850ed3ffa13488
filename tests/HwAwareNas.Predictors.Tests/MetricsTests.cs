using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors.Tests;

[TestClass]
public sealed class MetricsTests
{
    [TestMethod]
    public void KendallTauBHandlesTiesInBothLists()
    {
        // 3 concordant, 1 discordant, one pair tied in x, one tied in y: (3 − 1) / √(5 · 5) = 0.4 (scipy agrees).
        Assert.AreEqual(0.4, QualityMetrics.KendallTau([1, 2, 2, 3], [1, 3, 2, 2]), 1e-12);
    }

    [TestMethod]
    public void KendallTauIsOneForSameOrderAndMinusOneForReversed()
    {
        Assert.AreEqual(1.0, QualityMetrics.KendallTau([1, 2, 3, 4], [10, 20, 25, 40]), 1e-12);
        Assert.AreEqual(-1.0, QualityMetrics.KendallTau([1, 2, 3, 4], [4, 3, 2, 1]), 1e-12);
        Assert.AreEqual(0.0, QualityMetrics.KendallTau([1, 2, 3], [5, 5, 5]));
    }

    [TestMethod]
    public void SpearmanUsesAverageRanksForTies()
    {
        // Ranks of y: [1, 2, 3.5, 5, 3.5]; Pearson with [1..5] = 8 / √(10 · 9.5).
        Assert.AreEqual(8 / Math.Sqrt(95), QualityMetrics.SpearmanRho([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]), 1e-12);
        CollectionAssert.AreEqual(new[] { 1, 2, 3.5, 5, 3.5 }, QualityMetrics.AverageRanks([5, 6, 7, 8, 7]));
    }

    [TestMethod]
    public void ErrorMetricsMatchHandComputedValues()
    {
        double[] actual = [10, 20, 40, 100];
        double[] predicted = [10.4, 17, 50, 93];

        var quality = QualityMetrics.Evaluate(actual, predicted);

        // Relative errors 0.04, 0.15, 0.25, 0.07.
        Assert.AreEqual(4, quality.Count);
        Assert.AreEqual(0.1275, quality.Mape, 1e-12);
        Assert.AreEqual(Math.Sqrt(158.16 / 4), quality.Rmse, 1e-12);
        Assert.AreEqual(0.25, quality.Within5Percent);
        Assert.AreEqual(0.5, quality.Within10Percent);
        Assert.AreEqual(1.0, quality.KendallTau, 1e-12);
    }

    [TestMethod]
    public void MapeSkipsZeroActualValues() =>
        Assert.AreEqual(0.5, QualityMetrics.Mape([0, 2], [1, 3]), 1e-12);

    [TestMethod]
    public void MismatchedLengthsAreRejected() =>
        Assert.ThrowsExactly<ArgumentException>(() => QualityMetrics.Rmse([1, 2], [1]));

    [TestMethod]
    public void FoldsAreBalancedAndSeeded()
    {
        var folds = CrossValidation.AssignFolds(23, 5, seed: 7);

        var sizes = folds.GroupBy(f => f).Select(g => g.Count()).Order().ToArray();
        CollectionAssert.AreEqual(new[] { 4, 4, 5, 5, 5 }, sizes);
        CollectionAssert.AreEqual(folds, CrossValidation.AssignFolds(23, 5, seed: 7));
        CollectionAssert.AreNotEqual(folds, CrossValidation.AssignFolds(23, 5, seed: 8));
    }
}
