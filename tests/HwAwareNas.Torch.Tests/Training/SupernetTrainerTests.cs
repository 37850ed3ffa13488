using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Evaluation;
using HwAwareNas.Torch.Tests.Datasets;
using HwAwareNas.Torch.Training;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Tests.Training;

[TestClass]
public sealed class SupernetTrainerTests
{
    [ClassInitialize]
    public static void UseOneThread(TestContext context)
    {
        // Tests share two cores with each other; one torch thread each avoids oversubscription.
        set_num_threads(1);
    }

    [TestMethod]
    public void SandwichTrainingLiftsLargestAndSmallestWellAboveChance()
    {
        using var folder = new TemporaryFolder();
        var family = TinySupernet.Family();
        var data = TinySupernet.Data(trainImages: 3000, validationImages: 1000, calibrationImages: 500);
        var options = new TrainingOptions
        {
            Epochs = 2, BatchSize = 25, Optimizer = OptimizerKind.AdamW, LearningRate = 0.003, WeightDecay = 0.01,
            RandomSubnetsPerStep = 1, HorizontalFlip = false, EpochValidationImages = 1000, Seed = 5,
        };
        using var network = SupernetTrainer.CreateNetwork(family, options.Seed);
        var accuracy = new SubnetAccuracy(network, data);
        var before = accuracy.Evaluate(family.Largest());

        var record = new SupernetTrainer(network, data, options, TextWriter.Null).Train(folder.File("net.ckpt"), resume: false);

        Assert.AreEqual(240, record.CompletedSteps);
        var last = record.Epochs[^1];
        Assert.IsTrue(before < 0.3, $"untrained largest sub-network: {before:P1}");
        Assert.IsTrue(last.LargestAccuracy > 0.6, $"largest: {last.LargestAccuracy:P1}");
        Assert.IsTrue(last.SmallestAccuracy > 0.5, $"smallest: {last.SmallestAccuracy:P1}");
        Assert.IsTrue(record.Epochs[1].Loss < record.Epochs[0].Loss);
        Assert.AreEqual(last.LargestAccuracy, accuracy.Evaluate(family.Largest()), "the record's accuracy is reproducible");
    }

    // Initial weights come from torch's global generator, which tests running in parallel would also draw from.
    [TestMethod]
    [DoNotParallelize]
    public void InterruptedRunResumesToTheSameCheckpointAsAnUninterruptedOne()
    {
        using var folder = new TemporaryFolder();
        var family = TinySupernet.Family();
        var data = TinySupernet.Data(trainImages: 200, validationImages: 100, calibrationImages: 100);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 20, RandomSubnetsPerStep = 1, EpochValidationImages = 100, Seed = 9 };
        var whole = folder.File("whole.ckpt");
        var split = folder.File("split.ckpt");

        using (var network = SupernetTrainer.CreateNetwork(family, options.Seed))
        {
            new SupernetTrainer(network, data, options, TextWriter.Null).Train(whole, resume: false);
        }

        using (var cancellation = new CancellationTokenSource())
        using (var network = SupernetTrainer.CreateNetwork(family, options.Seed))
        {
            var log = new CancelOnLine("epoch 1/2 done", cancellation);
            Assert.ThrowsExactly<OperationCanceledException>(
                () => new SupernetTrainer(network, data, options, log).Train(split, resume: false, cancellation.Token));
        }

        var interrupted = TrainingRecord.Read(split);
        Assert.AreEqual(1, interrupted.CompletedEpochs);
        Assert.AreEqual(10, interrupted.CompletedSteps);

        var resumeLog = new StringWriter();
        TrainingRecord resumed;
        using (var network = SupernetTrainer.CreateNetwork(family, seed: 12345))
        {
            resumed = new SupernetTrainer(network, data, options, resumeLog).Train(split, resume: true);
        }

        StringAssert.Contains(resumeLog.ToString(), "after epoch 1 (step 10)");
        var uninterrupted = TrainingRecord.Read(whole);
        Assert.AreEqual(2, resumed.CompletedEpochs);
        Assert.AreEqual(20, resumed.CompletedSteps);
        Assert.AreEqual(2, resumed.Epochs.Count);
        Assert.AreEqual(uninterrupted.Epochs[1].Loss, resumed.Epochs[1].Loss, 1e-6);
        Assert.AreEqual(SupernetCheckpoint.HashOf(split), resumed.WeightsSha256);
        Assert.IsEmpty(Directory.GetFiles(folder.Path, "*.tmp"), "no temporary files are left behind");
        TrainedWeights.AssertSame(family, whole, split);
    }

    [TestMethod]
    public void ResumingWithAnotherFamilySettingIsABadConfig()
    {
        using var folder = new TemporaryFolder();
        var family = TinySupernet.Family();
        var data = TinySupernet.Data(trainImages: 40, validationImages: 20, calibrationImages: 20);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 20, RandomSubnetsPerStep = 0, EpochValidationImages = 20 };
        var path = folder.File("net.ckpt");
        using (var network = SupernetTrainer.CreateNetwork(family, options.Seed))
        {
            new SupernetTrainer(network, data, options, TextWriter.Null).Train(path, resume: false);
        }

        var other = Core.Families.FamilyRegistry.Create(
            "mobilenetv3",
            new Core.Families.FamilyOptions(family.Input, 10, Core.Families.FamilySettingsReader.Split("width=0.5,ks=3/5,e=2/4,d=1/3")));
        using var otherNetwork = SupernetTrainer.CreateNetwork(other, options.Seed);

        var error = Assert.ThrowsExactly<HwNasException>(
            () => new SupernetTrainer(otherNetwork, data, options with { Epochs = 2 }, TextWriter.Null).Train(path, resume: true));

        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
        Assert.IsTrue(File.Exists(SupernetCheckpoint.ResumePathFor(path)));
    }

    [TestMethod]
    public void CorruptCheckpointIsAMissingInput()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("net.ckpt");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        using var network = SupernetTrainer.CreateNetwork(TinySupernet.Family(), 1);

        var error = Assert.ThrowsExactly<HwNasException>(() => SupernetCheckpoint.LoadWeights(path, network));

        Assert.AreEqual(ExitCode.MissingInput, error.ExitCode);
    }

    [TestMethod]
    public void InvalidRecipeIsABadConfig()
    {
        var error = Assert.ThrowsExactly<HwNasException>(() => new TrainingOptions { BatchSize = 1 }.Validate());

        Assert.AreEqual(ExitCode.BadConfig, error.ExitCode);
    }
}
