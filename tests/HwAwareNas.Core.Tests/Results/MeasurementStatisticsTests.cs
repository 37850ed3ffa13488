using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Core.Tests.Results;

[TestClass]
public sealed class MeasurementStatisticsTests
{
    [TestMethod]
    public void OneToTen_MatchesHandComputedValues()
    {
        double[] samples = [7, 3, 10, 1, 5, 9, 2, 8, 4, 6];

        var s = MeasurementStatistics.FromSamples(samples, 0.2);

        // 20% of 10 = 2 dropped at each end: mean of 3..8.
        Assert.AreEqual(5.5, s.TrimmedMean, 1e-12);
        Assert.AreEqual(5.5, s.Median, 1e-12);

        // Rank 0.9 · 9 = 8.1 lies between 9 and 10; rank 0.1 · 9 = 0.9 between 1 and 2.
        Assert.AreEqual(9.1, s.P90, 1e-12);
        Assert.AreEqual(1.9, s.P10, 1e-12);

        // Sample variance of 1..10 is 55/6.
        Assert.AreEqual(Math.Sqrt(55.0 / 6.0), s.StandardDeviation, 1e-12);
        Assert.AreEqual(1, s.Min);
        Assert.AreEqual(10, s.Max);
        Assert.AreEqual(10, s.Count);
        Assert.AreEqual(0.2, s.TrimFraction);
    }

    [TestMethod]
    public void Figure_NamesEachStatistic()
    {
        var s = MeasurementStatistics.FromSamples([7, 3, 10, 1, 5, 9, 2, 8, 4, 6], 0.2);

        Assert.AreEqual(s.TrimmedMean, s.Figure(LatencyStatistic.TrimmedMean));
        Assert.AreEqual(s.Median, s.Figure(LatencyStatistic.Median));
        Assert.AreEqual(1.9, s.Figure(LatencyStatistic.P10), 1e-12);
        Assert.AreEqual(1.0, s.Figure(LatencyStatistic.Min));
        Assert.IsTrue(double.IsNaN((s with { P10 = double.NaN }).Figure(LatencyStatistic.P10)), "rows stored before p10 was kept have none");
    }

    [TestMethod]
    public void OddCountWithOutlier_TrimsTheOutlierAway()
    {
        double[] samples = [10, 1, 100, 2, 3];

        var s = MeasurementStatistics.FromSamples(samples, 0.2);

        Assert.AreEqual(5.0, s.TrimmedMean, 1e-12); // mean of 2, 3, 10
        Assert.AreEqual(3.0, s.Median, 1e-12);
        Assert.AreEqual(64.0, s.P90, 1e-12); // rank 3.6: 10 + 0.6 · 90
        Assert.AreEqual(Math.Sqrt(7422.8 / 4), s.StandardDeviation, 1e-9);
    }

    [TestMethod]
    public void NoTrim_GivesThePlainMean()
    {
        var s = MeasurementStatistics.FromSamples([1.0, 2.0, 6.0], 0);

        Assert.AreEqual(3.0, s.TrimmedMean, 1e-12);
        Assert.AreEqual(2.0, s.Median, 1e-12);
    }

    [TestMethod]
    public void SingleSample_HasZeroSpreadAndIsEveryStatistic()
    {
        var s = MeasurementStatistics.FromSamples([4.0], 0.2);

        Assert.AreEqual(4.0, s.TrimmedMean);
        Assert.AreEqual(4.0, s.Median);
        Assert.AreEqual(4.0, s.P90);
        Assert.AreEqual(0.0, s.StandardDeviation);
        Assert.AreEqual(1, s.Count);
    }

    [TestMethod]
    public void TwoSamplesWithLargeTrim_KeepBothRuns()
    {
        var s = MeasurementStatistics.FromSamples([1.0, 3.0], 0.45);

        Assert.AreEqual(2.0, s.TrimmedMean, 1e-12);
    }

    [TestMethod]
    public void BadInput_IsRejected()
    {
        Assert.ThrowsExactly<HwNasException>(() => MeasurementStatistics.FromSamples([], 0.2));
        Assert.ThrowsExactly<HwNasException>(() => MeasurementStatistics.FromSamples([1.0], 0.5));
        Assert.ThrowsExactly<HwNasException>(() => MeasurementStatistics.FromSamples([1.0], -0.1));
        Assert.ThrowsExactly<HwNasException>(() => MeasurementStatistics.FromSamples([1.0, double.NaN], 0.2));
    }
}
