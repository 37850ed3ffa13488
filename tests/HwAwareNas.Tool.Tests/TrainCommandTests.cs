using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Tool.Commands;
using HwAwareNas.Tool.Tests.Pipeline;
using HwAwareNas.Torch.Training;

namespace HwAwareNas.Tool.Tests;

/// <summary><c>hwnas train</c>: the recipe from hwnas.yaml's <c>training:</c> section, its flags over it, and a real run.</summary>
[TestClass]
public sealed class TrainCommandTests
{
    private const string Training = """

        training:
          method: progressive
          epochs: 7
          batch: 50
          optimizer: adamw
          warmup_steps: 3
          label_smoothing: 0.05
          random_subnets: 1
          distillation: kl
          flip: false
          seed: 11
          threads: 1
          progressive: { largest: 1, kernel: 1, depth: 1, expand: 1 }
        """;

    [TestMethod]
    public void RecipeComesFromTheTrainingSection()
    {
        using var project = new TinyProject();
        var config = WithTraining(project, Training);

        var options = new TrainCommand().BuildOptions(config);

        Assert.AreEqual(
            new TrainingOptions
            {
                Method = TrainingMethod.Progressive, Epochs = 7, PhaseEpochs = new ProgressiveEpochs(1, 1, 1, 1), BatchSize = 50,
                Optimizer = OptimizerKind.AdamW, LearningRate = 0.002, WarmupSteps = 3, WeightDecay = 0.01, LabelSmoothing = 0.05,
                RandomSubnetsPerStep = 1, Distillation = DistillationLoss.KullbackLeibler, HorizontalFlip = false, Seed = 11,
                EpochValidationImages = 100, Threads = 1,
            },
            options);
    }

    [TestMethod]
    public void FlagsOverrideTheTrainingSection()
    {
        using var project = new TinyProject();
        var config = WithTraining(project, Training + "\n  lr: 0.004\n  weight_decay: 0.03\n");

        var options = new TrainCommand
        {
            Method = "sandwich", Epochs = 2, PhaseEpochs = "2,0,1,3", Batch = 40, Optimizer = "sgd", WarmupSteps = 0, LabelSmoothing = 0.1,
            RandomSubnets = 3, Distillation = "soft-ce", Seed = 5, Threads = 2,
        }.BuildOptions(config);
        var rate = new TrainCommand { LearningRate = 0.01 }.BuildOptions(config);

        Assert.AreEqual(
            new TrainingOptions
            {
                Method = TrainingMethod.Sandwich, Epochs = 2, PhaseEpochs = new ProgressiveEpochs(2, 0, 1, 3), BatchSize = 40,
                Optimizer = OptimizerKind.Sgd, LearningRate = 0.05, WarmupSteps = 0, WeightDecay = 4e-5, LabelSmoothing = 0.1,
                RandomSubnetsPerStep = 3, Distillation = DistillationLoss.SoftCrossEntropy, HorizontalFlip = false, Seed = 5,
                EpochValidationImages = 100, Threads = 2,
            },
            options,
            "another optimiser on the command line brings its own rate and decay");
        Assert.AreEqual((0.01, 0.03, OptimizerKind.AdamW), (rate.LearningRate, rate.WeightDecay, rate.Optimizer));
    }

    [TestMethod]
    public void SeedFallsBackToTheSearchSeed()
    {
        using var project = new TinyProject();

        var options = new TrainCommand().BuildOptions(HwNasConfigLoader.Load(project.ConfigPath));

        Assert.AreEqual((3, TrainingMethod.Sandwich, 10), (options.Seed, options.Method, options.Epochs));
    }

    [TestMethod]
    [DataRow("--method", "shrinking", "expected sandwich or progressive")]
    [DataRow("--method", "1", "expected sandwich or progressive")]
    [DataRow("--optimizer", "adam", "expected sgd or adamw")]
    [DataRow("--distillation", "mse", "expected soft-ce or kl")]
    [DataRow("--phase-epochs", "1,2,3", "expected four whole numbers")]
    [DataRow("--phase-epochs", "1,2,-3,4", "expected four whole numbers")]
    public void BadFlagsAreBadConfig(string flag, string value, string message)
    {
        using var project = new TinyProject();

        var result = Cli.Run("train", "--config", project.ConfigPath, flag, value);

        Assert.AreEqual(ExitCode.BadConfig, result.Code, result.ToString());
        StringAssert.Contains(result.Error + result.Out, message);
    }

    [TestMethod]
    [DoNotParallelize]
    public void ProgressiveRunFromTheYamlWritesACheckpointNamingItsPhases()
    {
        using var project = new TinyProject();
        File.AppendAllText(project.ConfigPath, Training);

        var result = Cli.Run("train", "--config", project.ConfigPath, "--train-images", "200", "--epoch-val-images", "50", "--phase-epochs", "1,0,1,1");

        Assert.AreEqual(ExitCode.Success, result.Code, result.ToString());
        StringAssert.Contains(result.Out, "phase 1/3 largest (epochs 1-1 of 3)");
        StringAssert.Contains(result.Out, "phase 3/3 expand (epochs 3-3 of 3): ks, e, d vary; distilled from the largest");
        var record = TrainingRecord.Read(project.Checkpoint);
        Assert.AreEqual((TrainingMethod.Progressive, 3, ShrinkingPhase.Expand), (record.Recipe.Method, record.CompletedEpochs, record.Phase));
        CollectionAssert.AreEqual(
            new[] { ShrinkingPhase.Largest, ShrinkingPhase.Depth, ShrinkingPhase.Expand }, record.Phases.Select(p => p.Phase).ToArray(), "a phase given 0 epochs is skipped");
    }

    private static HwNasConfig WithTraining(TinyProject project, string section)
    {
        File.AppendAllText(project.ConfigPath, section);
        return HwNasConfigLoader.Load(project.ConfigPath);
    }
}
