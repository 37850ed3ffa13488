using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Torch.Tests.Datasets;
using HwAwareNas.Torch.Training;
using static TorchSharp.torch;

namespace HwAwareNas.Torch.Tests.Training;

[TestClass]
public sealed class ProgressiveShrinkingTests
{
    [ClassInitialize]
    public static void UseOneThread(TestContext context)
    {
        // Tests share two cores with each other; one torch thread each avoids oversubscription.
        set_num_threads(1);
    }

    [TestMethod]
    public void ScheduleLaysTheFamilysPhasesOutOverConsecutiveEpochs()
    {
        var epochs = new ProgressiveEpochs(Largest: 2, Kernel: 1, Depth: 0, Expand: 3);

        var mobileNet = ProgressiveSchedule.Spans(TinySupernet.Family(), epochs);
        var resNet = ProgressiveSchedule.Spans(FamilyRegistry.Create("resnet"), new ProgressiveEpochs());

        CollectionAssert.AreEqual(
            new[] { new PhaseSpan(ShrinkingPhase.Largest, 1, 2), new PhaseSpan(ShrinkingPhase.Kernel, 3, 3), new PhaseSpan(ShrinkingPhase.Expand, 4, 6) },
            mobileNet.ToArray(),
            "a phase with no epochs is skipped");
        CollectionAssert.AreEqual(
            new[] { new PhaseSpan(ShrinkingPhase.Largest, 1, 3), new PhaseSpan(ShrinkingPhase.Depth, 4, 6), new PhaseSpan(ShrinkingPhase.Expand, 7, 9) },
            resNet.ToArray(),
            "ResNet has no kernel phase");
    }

    // Initial weights come from torch's global generator, which tests running in parallel would also draw from.
    [TestMethod]
    [DoNotParallelize]
    public void RunRecordsItsPhasesAndResumesMidScheduleInTheRightPhase()
    {
        using var folder = new TemporaryFolder();
        var family = TinySupernet.Family();
        var data = TinySupernet.Data(trainImages: 200, validationImages: 100, calibrationImages: 100);
        var options = new TrainingOptions
        {
            Method = TrainingMethod.Progressive, PhaseEpochs = new ProgressiveEpochs(1, 1, 1, 1), Epochs = 99, BatchSize = 20,
            RandomSubnetsPerStep = 1, HorizontalFlip = false, EpochValidationImages = 100, Seed = 4,
        };
        var whole = folder.File("whole.ckpt");
        var split = folder.File("split.ckpt");

        var wholeLog = new StringWriter();
        using (var network = SupernetTrainer.CreateNetwork(family, options.Seed))
        {
            new SupernetTrainer(network, data, options, wholeLog).Train(whole, resume: false);
        }

        using (var cancellation = new CancellationTokenSource())
        using (var network = SupernetTrainer.CreateNetwork(family, options.Seed))
        {
            var log = new CancelOnLine("epoch 2/4 done", cancellation);
            Assert.ThrowsExactly<OperationCanceledException>(
                () => new SupernetTrainer(network, data, options, log).Train(split, resume: false, cancellation.Token));
        }

        var interrupted = TrainingRecord.Read(split);
        Assert.AreEqual((2, ShrinkingPhase.Kernel), (interrupted.CompletedEpochs, interrupted.Phase));

        var resumeLog = new StringWriter();
        using (var network = SupernetTrainer.CreateNetwork(family, seed: 12345))
        {
            new SupernetTrainer(network, data, options, resumeLog).Train(split, resume: true);
        }

        var record = TrainingRecord.Read(split);
        var sidecar = File.ReadAllText(TrainingRecord.PathFor(split));
        StringAssert.Contains(resumeLog.ToString(), "after epoch 2 (step 20), in phase depth");
        StringAssert.Contains(resumeLog.ToString(), "phase 3/4 depth (epochs 3-3 of 4): ks, d vary, e at their largest");
        StringAssert.Contains(wholeLog.ToString(), "phase 1/4 largest (epochs 1-1 of 4): the largest sub-network alone");
        Assert.AreEqual((TrainingMethod.Progressive, 4), (record.Recipe.Method, record.Recipe.Epochs));
        CollectionAssert.AreEqual(
            new[] { ShrinkingPhase.Largest, ShrinkingPhase.Kernel, ShrinkingPhase.Depth, ShrinkingPhase.Expand },
            record.Phases.Select(p => p.Phase).ToArray());
        CollectionAssert.AreEqual(record.Phases.Select(p => (ShrinkingPhase?)p.Phase).ToArray(), record.Epochs.Select(e => e.Phase).ToArray());
        Assert.AreEqual(ShrinkingPhase.Expand, record.Phase);
        StringAssert.Contains(sidecar, "\"method\": \"progressive\"");
        Assert.AreEqual(0, record.Epochs[0].DistillationLoss, "the first phase trains the largest sub-network alone");
        Assert.IsTrue(record.Epochs.Skip(1).All(e => e.DistillationLoss > 0), "later phases distil sub-networks from the largest");
        var uninterrupted = TrainingRecord.Read(whole);
        Assert.AreEqual(uninterrupted.Epochs[3].Loss, record.Epochs[3].Loss, 1e-6);
        TrainedWeights.AssertSame(family, whole, split);
    }

    [TestMethod]
    [DoNotParallelize]
    public void ResumeMayExtendLaterPhasesButNotMoveFinishedEpochs()
    {
        using var folder = new TemporaryFolder();
        var family = TinySupernet.Family();
        var data = TinySupernet.Data(trainImages: 40, validationImages: 20, calibrationImages: 20);
        var options = new TrainingOptions
        {
            Method = TrainingMethod.Progressive, PhaseEpochs = new ProgressiveEpochs(1, 0, 0, 0), BatchSize = 20,
            RandomSubnetsPerStep = 0, EpochValidationImages = 20, Seed = 2,
        };
        var path = folder.File("net.ckpt");
        using (var network = SupernetTrainer.CreateNetwork(family, options.Seed))
        {
            new SupernetTrainer(network, data, options, TextWriter.Null).Train(path, resume: false);
        }

        using var again = SupernetTrainer.CreateNetwork(family, options.Seed);
        var moved = Assert.ThrowsExactly<HwNasException>(
            () => new SupernetTrainer(again, data, options with { PhaseEpochs = new ProgressiveEpochs(0, 1, 1, 1) }, TextWriter.Null).Train(path, resume: true));
        var sandwich = Assert.ThrowsExactly<HwNasException>(
            () => new SupernetTrainer(again, data, options with { Method = TrainingMethod.Sandwich, Epochs = 2 }, TextWriter.Null).Train(path, resume: true));
        var log = new StringWriter();
        var extended = new SupernetTrainer(again, data, options with { PhaseEpochs = new ProgressiveEpochs(1, 1, 0, 0) }, log).Train(path, resume: true);

        Assert.AreEqual(ExitCode.BadConfig, moved.ExitCode);
        StringAssert.Contains(moved.Message, "epoch 1 trained in phase largest, the schedule asked for puts it in kernel");
        Assert.AreEqual(ExitCode.BadConfig, sandwich.ExitCode);
        StringAssert.Contains(log.ToString(), "in phase kernel");
        Assert.AreEqual((2, ShrinkingPhase.Kernel), (extended.CompletedEpochs, extended.Phase));
    }
}
