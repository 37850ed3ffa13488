using HwAwareNas.Predictors.Auto;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors.Tests;

/// <summary>Every predictor a fit creates for itself is disposed: the MLP's hold native memory.</summary>
[TestClass]
public sealed class DisposalTests
{
    private static readonly float[][] Features = [.. Enumerable.Range(0, 30).Select(i => new[] { (float)i, i % 3 })];
    private static readonly double[] Targets = [.. Features.Select(f => (2.0 * f[0]) + f[1])];

    [TestMethod]
    public void CrossValidationDisposesEveryFoldsPredictor()
    {
        var tracker = new Tracker();

        CrossValidation.Evaluate(() => new CountingPredictor(tracker, new PredictorOptions { CrossValidate = false }), Features, Targets, folds: 5, seed: 1);

        Assert.AreEqual(5, tracker.Created);
        Assert.AreEqual(5, tracker.Disposed);
    }

    [TestMethod]
    public void CrossValidatedFitDisposesItsFoldsAndDisposeReleasesTheFittedOne()
    {
        var tracker = new Tracker();
        var predictor = new CountingPredictor(tracker, new PredictorOptions { Folds = 3 });

        predictor.Fit(Features, Targets);

        Assert.IsNotNull(predictor.Metadata.CrossValidation);
        Assert.AreEqual(4, tracker.Created);
        Assert.AreEqual(3, tracker.Disposed);
        predictor.Dispose();
        Assert.AreEqual(4, tracker.Disposed);
    }

    [TestMethod]
    public void AutoDisposesTheCandidatesItComparesAndOnDisposeTheOneItChose()
    {
        var tracker = new Tracker();
        var factory = new PredictorFactory();
        factory.Register("counting", o => new CountingPredictor(tracker, o), _ => throw new NotSupportedException());
        using (var auto = new AutoPredictor(factory, new PredictorOptions { Folds = 3 }))
        {
            auto.Fit(Features, Targets);
            auto.Fit(Features, Targets);

            // At most the chosen model of the last fit is alive (whether it is a counting one depends on the scores).
            Assert.IsGreaterThanOrEqualTo(tracker.Created - 1, tracker.Disposed);
        }

        Assert.IsGreaterThanOrEqualTo(6, tracker.Created);
        Assert.AreEqual(tracker.Created, tracker.Disposed);
    }

    [TestMethod]
    public void GenomePredictorDisposesItsPredictor()
    {
        var tracker = new Tracker();
        var predictor = new CountingPredictor(tracker, new PredictorOptions { Encoding = "onehot" });

        new GenomePredictor(Encodings.GenomeEncodings.Create("onehot", SyntheticSpace.Small), predictor).Dispose();

        Assert.AreEqual(1, tracker.Disposed);
    }

    private sealed class Tracker
    {
        public int Created { get; set; }

        public int Disposed { get; set; }
    }

    /// <summary>Predicts the training mean and counts its creations and disposals.</summary>
    private sealed class CountingPredictor : PredictorBase
    {
        private readonly Tracker _tracker;
        private double _mean;
        private bool _disposed;

        public CountingPredictor(Tracker tracker, PredictorOptions options)
            : base(options)
        {
            _tracker = tracker;
            tracker.Created++;
        }

        public override string Name => "counting";

        protected override IPredictor CreateUntrained(PredictorOptions options) => new CountingPredictor(_tracker, options);

        protected override PredictionQuality? FitCore(IReadOnlyList<float[]> features, IReadOnlyList<double> targets)
        {
            _mean = targets.Average();
            return null;
        }

        protected override double[] PredictCore(IReadOnlyList<float[]> features) => [.. features.Select(_ => _mean)];

        protected override string Describe() => "mean";

        protected override void WriteState(PredictorArchive archive)
        {
        }

        protected override void Dispose(bool disposing)
        {
            // Counted once, as a native handle would be released once.
            if (!_disposed)
            {
                _disposed = true;
                _tracker.Disposed++;
            }

            base.Dispose(disposing);
        }
    }
}
