using HwAwareNas.Predictors;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Torch.Predictors;

namespace HwAwareNas.Torch.Tests.Predictors;

[TestClass]
public sealed class MlpPredictorTests
{
    private const int Blocks = 12;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void MlpRecoversAnAdditiveFunction()
    {
        var (train, test) = (Features(300, seed: 1), Features(200, seed: 2));

        var predictor = new MlpPredictor(new PredictorOptions { CrossValidate = false });
        predictor.Fit(train, Targets(train, Additive));
        var quality = QualityMetrics.Evaluate(Targets(test, Additive), predictor.Predict(test));

        TestContext.WriteLine($"mlp additive: tau={quality.KendallTau:F3}, mape={quality.Mape:P2}, {predictor.Metadata.Details}");
        Assert.IsGreaterThanOrEqualTo(0.9, quality.KendallTau);
    }

    [TestMethod]
    public void MlpBeatsTheLookupTableOnInteractions()
    {
        var (train, test) = (Features(300, seed: 3), Features(200, seed: 4));
        var options = new PredictorOptions { CrossValidate = false };
        var mlp = new MlpPredictor(options);
        var lut = new PredictorFactory().Create("lut", options);

        mlp.Fit(train, Targets(train, Interacting));
        lut.Fit(train, Targets(train, Interacting));
        var actual = Targets(test, Interacting);
        var mlpTau = QualityMetrics.KendallTau(actual, mlp.Predict(test));
        var lutTau = QualityMetrics.KendallTau(actual, lut.Predict(test));

        TestContext.WriteLine($"interactions: mlp tau={mlpTau:F3}, lut tau={lutTau:F3}");
        Assert.IsGreaterThan(lutTau + 0.2, mlpTau);
    }

    [TestMethod]
    public void SameSeedGivesSamePredictionsAndSaveLoadRoundTrips()
    {
        var (train, test) = (Features(120, seed: 5), Features(30, seed: 6));
        var factory = new PredictorFactory();
        MlpPredictor.Register(factory);
        var options = new PredictorOptions { Folds = 3, Seed = 9 };
        var first = factory.Create(MlpPredictor.SmallPredictorName, options);
        var second = factory.Create(MlpPredictor.SmallPredictorName, options);

        first.Fit(train, Targets(train, Additive));
        second.Fit(train, Targets(train, Additive));
        using var stream = new MemoryStream();
        first.Save(stream);
        stream.Position = 0;
        var loaded = factory.Load(stream);

        CollectionAssert.AreEqual(first.Predict(test), second.Predict(test));
        CollectionAssert.AreEqual(first.Predict(test), loaded.Predict(test));
        Assert.AreEqual(first.Metadata, loaded.Metadata);
        Assert.AreEqual(MlpPredictor.SmallPredictorName, loaded.Name);
        Assert.IsNotNull(loaded.Metadata.CrossValidation);
        StringAssert.Contains(loaded.Metadata.Details, "hidden=32x32x32");
    }

    [TestMethod]
    public void TinyDataTrainsWithoutAValidationSplit()
    {
        var train = Features(6, seed: 7);
        var predictor = new MlpPredictor(new PredictorOptions { CrossValidate = false }, MlpOptions.Small with { MaxEpochs = 20 });

        predictor.Fit(train, Targets(train, Additive));

        Assert.IsTrue(predictor.Predict(train).All(double.IsFinite));
        StringAssert.Contains(predictor.Metadata.Details, "epochs=20");
    }

    [TestMethod]
    public void FitsRepeatWhileAnotherThreadSeedsAndDrawsTheGlobalGenerator()
    {
        var (train, test) = (Features(60, seed: 10), Features(20, seed: 11));
        var options = new PredictorOptions { CrossValidate = false, Seed = 4 };
        var mlp = MlpOptions.Small with { MaxEpochs = 15 };
        using var alone = new MlpPredictor(options, mlp);
        alone.Fit(train, Targets(train, Additive));
        var expected = alone.Predict(test);

        // The supernet trainer seeds TorchSharp's global generator and draws from it; a fit must not depend on that.
        using var stop = new CancellationTokenSource();
        var noise = Task.Run(() =>
        {
            for (var k = 0; !stop.IsCancellationRequested; k++)
            {
                TorchSharp.torch.random.manual_seed(k);
                using var drawn = TorchSharp.torch.rand(64);
            }
        });
        try
        {
            for (var round = 0; round < 3; round++)
            {
                using var again = new MlpPredictor(options, mlp);
                again.Fit(train, Targets(train, Additive));
                CollectionAssert.AreEqual(expected, again.Predict(test), $"round {round}");
            }
        }
        finally
        {
            stop.Cancel();
            noise.Wait(TestContext.CancellationToken);
        }
    }

    [TestMethod]
    public void FitLeavesTheGlobalGeneratorsStreamAlone()
    {
        var train = Features(30, seed: 12);
        TorchSharp.torch.random.manual_seed(99);
        float[] undisturbed;
        using (var first = TorchSharp.torch.rand(8))
        {
            undisturbed = first.data<float>().ToArray();
        }

        TorchSharp.torch.random.manual_seed(99);
        using (var predictor = new MlpPredictor(new PredictorOptions { CrossValidate = false }, MlpOptions.Small with { MaxEpochs = 5 }))
        {
            predictor.Fit(train, Targets(train, Additive));
        }

        using var second = TorchSharp.torch.rand(8);
        CollectionAssert.AreEqual(undisturbed, second.data<float>().ToArray());
    }

    [TestMethod]
    public void DisposeReleasesTheNetwork()
    {
        var train = Features(30, seed: 13);
        var predictor = new MlpPredictor(new PredictorOptions { CrossValidate = false }, MlpOptions.Small with { MaxEpochs = 5 });
        predictor.Fit(train, Targets(train, Additive));
        Assert.IsTrue(predictor.Predict(train).All(double.IsFinite));

        predictor.Dispose();
        predictor.Dispose();

        Assert.ThrowsExactly<ObjectDisposedException>(() => predictor.Predict(train));
    }

    // Per block: active flag, kernel-7 flag, expand-6 flag (zero when inactive), as a masked one-hot would give.
    private static List<float[]> Features(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var features = new float[3 * Blocks];
            for (var b = 0; b < Blocks; b++)
            {
                if (random.Next(4) > 0)
                {
                    features[3 * b] = 1;
                    features[(3 * b) + 1] = random.Next(3) == 0 ? 1 : 0;
                    features[(3 * b) + 2] = random.Next(3) == 0 ? 1 : 0;
                }
            }

            return features;
        })];
    }

    private static double Additive(float[] f) =>
        2 + Enumerable.Range(0, Blocks).Sum(b => (1 + (b / 4)) * ((0.3 * f[3 * b]) + (0.2 * f[(3 * b) + 1]) + (0.1 * f[(3 * b) + 2])));

    private static double Interacting(float[] f)
    {
        var difference = Enumerable.Range(0, Blocks).Sum(b => f[(3 * b) + 1] - f[(3 * b) + 2]);
        return 1 + (0.2 * difference * difference);
    }

    private static double[] Targets(List<float[]> features, Func<float[], double> function) => [.. features.Select(function)];
}
