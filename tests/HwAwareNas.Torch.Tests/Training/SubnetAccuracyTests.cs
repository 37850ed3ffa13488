using HwAwareNas.Core.Networks;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Evaluation;
using HwAwareNas.Torch.Training;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Tests.Training;

[TestClass]
public sealed class SubnetAccuracyTests
{
    [ClassInitialize]
    public static void UseOneThread(TestContext context) => set_num_threads(1);

    [TestMethod]
    public void RecalibrationReplacesRunningStatisticsDeterministically()
    {
        var family = TinySupernet.Family();
        var data = TinySupernet.Data(trainImages: 300, validationImages: 50, calibrationImages: 300);
        using var network = SupernetTrainer.CreateNetwork(family, 3);
        network.SetActive(family.Smallest());
        var initial = RunningMeans(network);

        BatchNormCalibration.Recalibrate(network, data.Calibration, data.Normalization, batchSize: 100);
        var first = RunningMeans(network);
        BatchNormCalibration.Recalibrate(network, data.Calibration, data.Normalization, batchSize: 100);
        var second = RunningMeans(network);

        Assert.IsTrue(initial.All(v => v == 0f), "fresh statistics start at zero");
        Assert.IsTrue(first.Any(v => Math.Abs(v) > 1e-3f), "re-calibration measured the activations");
        CollectionAssert.AreEqual(first, second);
        Assert.IsFalse(network.training, "evaluation mode after re-calibration");
    }

    [TestMethod]
    public void RecalibratedMeanIsTheMeanOverAllCalibrationBatches()
    {
        var family = TinySupernet.Family();
        var data = TinySupernet.Data(trainImages: 200, validationImages: 50, calibrationImages: 200);
        using var network = SupernetTrainer.CreateNetwork(family, 4);
        network.SetActive(family.Largest());

        BatchNormCalibration.Recalibrate(network, data.Calibration, data.Normalization, batchSize: 200);
        var oneBatch = FirstRunningMean(network);
        BatchNormCalibration.Recalibrate(network, data.Calibration, data.Normalization, batchSize: 50);
        var fourBatches = FirstRunningMean(network);

        // Equal-sized batches averaged with momentum 1/k give the whole set's mean. Only the first BatchNorm sees
        // inputs independent of batch statistics (deeper ones follow layers normalised per batch).
        Assert.IsTrue(oneBatch.Any(v => Math.Abs(v) > 1e-3f));
        for (var i = 0; i < oneBatch.Length; i++)
        {
            Assert.AreEqual(oneBatch[i], fourBatches[i], 1e-4f + (1e-4f * Math.Abs(oneBatch[i])));
        }
    }

    [TestMethod]
    public void CachedEvaluatorEvaluatesEquivalentGenomesOnce()
    {
        var family = TinySupernet.Family();
        var data = TinySupernet.Data(trainImages: 100, validationImages: 100, calibrationImages: 100);
        using var network = SupernetTrainer.CreateNetwork(family, 5);
        var cache = new InMemoryAccuracyCache();
        var evaluator = new SupernetAccuracyEvaluator(new SubnetAccuracy(network, data), family, cache, "weights", data.Key);
        var genome = family.Smallest();
        // With depth 1 the second block's kernel gene is inactive: changing it names the same sub-network.
        var kernelOfSecondBlock = family.Genes.ToList().FindIndex(g => g.Group == "ks" && g.Block == 1);
        var equivalent = genome.With(kernelOfSecondBlock, 1);

        var results = evaluator.EvaluateAsync([genome, equivalent, genome], CancellationToken.None).Result;

        Assert.AreEqual(1, evaluator.Evaluations);
        Assert.AreEqual(1, cache.Count);
        Assert.AreEqual(results[0].Values[0], results[1].Values[0]);
        Assert.IsTrue(results[0].Values[0] is >= 0 and <= 1);
        Assert.AreSame(equivalent, results[1].Genome);
    }

    private static float[] FirstRunningMean(HwAwareNas.Torch.Elastic.ElasticSupernet network) =>
        network.ExtractActive().Nodes.OfType<BatchNormNode>().First().RunningMean.Values;

    private static float[] RunningMeans(HwAwareNas.Torch.Elastic.ElasticSupernet network) =>
        [.. network.ExtractActive().Nodes.OfType<BatchNormNode>().SelectMany(n => n.RunningMean.Values)];
}
