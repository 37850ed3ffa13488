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

    [TestMethod]
    [DoNotParallelize]
    public void FromAnotherCheckpointFineTunesItsWeightsAndRecordsWhereTheyCameFrom()
    {
        using var project = new TinyProject();
        Assert.AreEqual(ExitCode.Success, project.Train().Code);
        var tunedConfig = Path.Combine(project.Folder, "tuned.yaml");
        File.WriteAllText(tunedConfig, File.ReadAllText(project.ConfigPath).Replace("models/supernet.ckpt", "models/tuned.ckpt", StringComparison.Ordinal));

        // A vanishing learning rate keeps the weights where they started; another seed would start elsewhere.
        var result = Cli.Run(
            "train", "--config", tunedConfig, "--from", project.Checkpoint, "--epochs", "1", "--train-images", "100", "--batch", "50",
            "--epoch-val-images", "50", "--optimizer", "adamw", "--lr", "1e-9", "--no-flip", "--threads", "1", "--seed", "5");

        Assert.AreEqual(ExitCode.Success, result.Code, result.ToString());
        StringAssert.Contains(result.Out, "(1 epochs of sandwich training)");
        var tuned = Path.Combine(project.Folder, "models", "tuned.ckpt");
        var record = TrainingRecord.Read(tuned);
        Assert.AreEqual($"supernet.ckpt sha256:{SupernetCheckpoint.HashOf(project.Checkpoint)}", record.FineTunedFrom);
        Assert.AreEqual(1, record.CompletedEpochs);
        var family = HwNasConfigLoader.Load(tunedConfig).Supernet.CreateFamily();
        using var start = SupernetTrainer.CreateNetwork(family, 1);
        using var end = SupernetTrainer.CreateNetwork(family, 2);
        SupernetCheckpoint.LoadWeights(project.Checkpoint, start);
        SupernetCheckpoint.LoadWeights(tuned, end);
        var after = end.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, before) in start.named_parameters())
        {
            Assert.IsTrue(before.allclose(after[name], rtol: 0, atol: 1e-5), $"{name} did not start from the given checkpoint");
        }
    }

    [TestMethod]
    [DoNotParallelize]
    public void ImportedOfaWeightsFineTuneWithTheirKernelTransformsAndExport()
    {
        using var folder = new TempFolder();
        var imported = Path.Combine(folder.Path, "imported.ckpt");
        var import = Cli.Run(
            "import", "--from", Path.Combine(AppContext.BaseDirectory, "Fixtures", "ofa", "mobilenetv3.pth"), "--family", "mobilenetv3",
            "--settings", "widths=8/8/8/8/16/16/16/32/48,strides=2/1/2/2/1/1/1,ks=3/5/7,e=3/4/6,d=1/2", "--input", "3x32x32", "--classes", "10", "-o", imported);
        Assert.AreEqual(ExitCode.Success, import.Code, import.ToString());

        // Forty random 32x32 colour images, channels last, and their labels: enough for a few steps.
        var random = new Random(4);
        var pixels = new byte[40 * 32 * 32 * 3];
        random.NextBytes(pixels);
        WriteNpy(Path.Combine(folder.Path, "x.npy"), "|u1", [40, 32, 32, 3], pixels);
        WriteNpy(Path.Combine(folder.Path, "y.npy"), "<i8", [40], [.. Enumerable.Range(0, 40).SelectMany(i => BitConverter.GetBytes((long)(i % 10)))]);
        var config = folder.Write("hwnas.yaml", """
            supernet:
              family: mobilenetv3
              checkpoint: tuned.ckpt
              input: [3, 32, 32]
              classes: 10
              settings:
                widths: [8, 8, 8, 8, 16, 16, 16, 32, 48]
                strides: [2, 1, 2, 2, 1, 1, 1]
                ks: [3, 5, 7]
                e: [3, 4, 6]
                d: [1, 2]
            dataset:
              format: npy
              train: x.npy
              train_labels: y.npy
              val: x.npy
              val_labels: y.npy
              calibration_images: 20
              validation_images: 20
              mean: [0.5, 0.5, 0.5]
              std: [0.25, 0.25, 0.25]
            """);

        var train = Cli.Run(
            "train", "--config", config, "--from", imported, "--epochs", "1", "--batch", "20", "--optimizer", "adamw", "--lr", "0.0005",
            "--random-subnets", "1", "--threads", "1", "--seed", "2");

        Assert.AreEqual(ExitCode.Success, train.Code, train.ToString());
        StringAssert.Contains(train.Out, "imported from mobilenetv3.pth sha256:");
        var tuned = Path.Combine(folder.Path, "tuned.ckpt");
        var record = TrainingRecord.Read(tuned);
        Assert.IsTrue(record.KernelTransforms, "the imported kernel-transform matrices stay part of the network");
        StringAssert.StartsWith(record.FineTunedFrom, "imported.ckpt sha256:");
        var export = Cli.Run("export", "--checkpoint", tuned, "--genome", "random:3", "-o", Path.Combine(folder.Path, "tuned.onnx"));
        Assert.AreEqual(ExitCode.Success, export.Code, export.ToString());
    }

    [TestMethod]
    [DataRow("--resume", "give one of them", ExitCode.BadConfig)]
    [DataRow(null, "--from: checkpoint not found", ExitCode.MissingInput)]
    public void FromAMissingCheckpointOrWithResumeStopsBeforeTraining(string? extra, string message, ExitCode expected)
    {
        using var project = new TinyProject();
        string[] arguments = ["train", "--config", project.ConfigPath, "--from", Path.Combine(project.Folder, "absent.ckpt"), .. extra is null ? Array.Empty<string>() : [extra]];

        var result = Cli.Run(arguments);

        Assert.AreEqual(expected, result.Code, result.ToString());
        StringAssert.Contains(result.Error, message);
        Assert.IsFalse(File.Exists(project.Checkpoint));
    }

    private static void WriteNpy(string path, string type, int[] shape, byte[] data)
    {
        var dimensions = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '{type}', 'fortran_order': False, 'shape': ({dimensions}), }}";
        header = header.PadRight(((10 + header.Length + 1 + 63) / 64 * 64) - 10 - 1) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, .. "NUMPY"u8, 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(System.Text.Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }

    private static HwNasConfig WithTraining(TinyProject project, string section)
    {
        File.AppendAllText(project.ConfigPath, section);
        return HwNasConfigLoader.Load(project.ConfigPath);
    }
}
