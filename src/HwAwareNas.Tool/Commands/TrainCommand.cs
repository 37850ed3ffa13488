using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Torch.Datasets;
using HwAwareNas.Torch.Training;
using HwAwareNas.Tool.Pipeline;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Commands;

/// <summary>
/// <c>dotnet hwnas train</c>: trains the configuration's super-network with the sandwich rule or progressive shrinking,
/// both with in-place distillation, writing the checkpoint hwnas.yaml names (plus its resume file and JSON training
/// record) after every epoch. The recipe comes from hwnas.yaml's <c>training:</c> section; flags override it.
/// </summary>
[Command("train", Description = "Train the super-network hwnas.yaml describes and write its checkpoint.")]
internal sealed class TrainCommand
{
    /// <summary>The configuration file.</summary>
    [Option("-c|--config <PATH>", Description = "hwnas.yaml naming the super-network, its checkpoint and the dataset (default: hwnas.yaml).")]
    public string Config { get; init; } = "hwnas.yaml";

    /// <summary>Training method.</summary>
    [Option("--method <METHOD>", Description = "sandwich or progressive (default: training.method, sandwich).")]
    public string? Method { get; init; }

    /// <summary>Epochs in total.</summary>
    [Option("--epochs <N>", Description = "Epochs of sandwich training in total (default: training.epochs, 10).")]
    public int? Epochs { get; init; }

    /// <summary>Epochs per progressive phase.</summary>
    [Option("--phase-epochs <L,K,D,E>", Description = "Epochs of the progressive phases largest, kernel, depth, expand (default: training.progressive, 3,2,3,3).")]
    public string? PhaseEpochs { get; init; }

    /// <summary>Continue from the checkpoint.</summary>
    [Option("--resume", Description = "Continue from the checkpoint's last finished epoch.")]
    public bool Resume { get; init; }

    /// <summary>Checkpoint whose weights training starts from (fine-tuning).</summary>
    [Option("--from <CHECKPOINT>", Description = "Start from this checkpoint's weights (e.g. one `hwnas import` wrote, or another run's) with this recipe: fine-tuning. Writes supernet.checkpoint as usual.")]
    public string? From { get; init; }

    /// <summary>Images per step.</summary>
    [Option("--batch <N>", Description = "Images per step (default: training.batch, 128).")]
    public int? Batch { get; init; }

    /// <summary>Optimiser.</summary>
    [Option("--optimizer <NAME>", Description = "sgd (Nesterov momentum) or adamw, both with a cosine schedule (default: training.optimizer, sgd).")]
    public string? Optimizer { get; init; }

    /// <summary>Peak learning rate.</summary>
    [Option("--lr <RATE>", Description = "Peak learning rate (default: training.lr, else 0.05 for sgd, 0.002 for adamw).")]
    public double? LearningRate { get; init; }

    /// <summary>Warm-up steps.</summary>
    [Option("--warmup-steps <N>", Description = "Steps of linear learning-rate warm-up (default: training.warmup_steps, 0).")]
    public int? WarmupSteps { get; init; }

    /// <summary>Weight decay.</summary>
    [Option("--weight-decay <W>", Description = "Weight decay (default: training.weight_decay, else 4e-5 for sgd, 0.01 for adamw).")]
    public double? WeightDecay { get; init; }

    /// <summary>Label smoothing.</summary>
    [Option("--label-smoothing <S>", Description = "Label smoothing of the largest sub-network's loss (default: training.label_smoothing, 0.1).")]
    public double? LabelSmoothing { get; init; }

    /// <summary>Random sub-networks per step.</summary>
    [Option("--random-subnets <N>", Description = "Random sub-networks per step besides largest and smallest (default: training.random_subnets, 2).")]
    public int? RandomSubnets { get; init; }

    /// <summary>Distillation loss.</summary>
    [Option("--distillation <LOSS>", Description = "soft-ce or kl (default: training.distillation, soft-ce).")]
    public string? Distillation { get; init; }

    /// <summary>Disable horizontal flips.</summary>
    [Option("--no-flip", Description = "Do not mirror training images, for digits and text (default: training.flip).")]
    public bool NoFlip { get; init; }

    /// <summary>Training images used (a leading subset; all by default).</summary>
    [Option("--train-images <N>", Description = "Train on the first N training images only (default: all).")]
    public int? TrainImages { get; init; }

    /// <summary>Validation images per epoch.</summary>
    [Option("--epoch-val-images <N>", Description = "Validation images for the per-epoch accuracies (default: dataset.validation_images).")]
    public int? EpochValidationImages { get; init; }

    /// <summary>Seed.</summary>
    [Option("--seed <N>", Description = "Seed of initialisation, data order and sub-network sampling (default: training.seed, else search.seed).")]
    public int? Seed { get; init; }

    /// <summary>Torch threads.</summary>
    [Option("--threads <N>", Description = "Threads torch uses (default: training.threads; 0 lets torch choose).")]
    public int? Threads { get; init; }

    /// <summary>Progress interval.</summary>
    [Option("--log-every <N>", Description = "Steps between progress lines when output is not a terminal (default 50).")]
    public int? LogEvery { get; init; }

    /// <summary>Runs the command; problems surface as <see cref="HwNasException"/> with their exit code.</summary>
    public int OnExecute(IConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        // Ctrl+C or SIGTERM stops between steps; the last finished epoch's checkpoint stays for --resume.
        using var cancellation = new ConsoleCancellation(console, "the last finished epoch's checkpoint stays for --resume");
        return Train(console, cancellation.Token);
    }

    private int Train(IConsole console, CancellationToken cancellationToken)
    {
        // The checkpoint need not exist before training; the dataset readers report missing data files themselves. A new
        // run replaces an existing checkpoint, so only a resumed one must match it.
        if (From is not null && Resume)
        {
            throw new HwNasException(
                "--from starts a new run from another checkpoint's weights and --resume continues this one's: give one of them.", ExitCode.BadConfig);
        }

        var config = HwNasConfigLoader.Load(Config, new ConfigLoadOptions { CompareCheckpoint = Resume });
        var options = BuildOptions(config);
        var supernet = config.Supernet;
        var input = supernet.FeatureInput;
        var family = supernet.CreateFamily();

        var dataset = config.Dataset;
        var source = new DatasetSource(dataset.Format, dataset.Train, dataset.TrainLabels, dataset.Val, dataset.ValLabels);
        var data = DatasetSplits.Load(
            source, input, supernet.Classes, dataset.CalibrationImages, dataset.ValidationImages, dataset.Mean, dataset.Std, options.Seed, TrainImages);

        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Training {family.Family} ({family.SettingsText}) on {data.Train.Count} images, validating on {data.Validation.Count}; {options}."));
        var start = From is null ? null : StartingPoint.Read(Path.GetFullPath(From));
        // Imported OFA networks carry kernel-transform matrices; the network is built with the layers its weights have.
        var kernelTransforms = start?.Record.KernelTransforms
            ?? (Resume && File.Exists(supernet.Checkpoint) && TrainingRecord.Read(supernet.Checkpoint).KernelTransforms);
        using var network = SupernetTrainer.CreateNetwork(family, options.Seed, kernelTransforms);
        if (start is not null)
        {
            SupernetCheckpoint.LoadWeights(start.Path, network);
            console.Out.WriteLine($"Starting from {start.Path} ({start.Describe()}).");
        }

        using (var store = ResultsStore.Open(ResultsStore.DefaultPath(config.SourcePath)))
        {
            console.Out.WriteLine(NumericSelfCheck.WithOnnxRuntime(store).Run(network, start?.WeightsKey ?? $"init:{options.Seed}").Summary);
        }

        var trainer = new SupernetTrainer(network, data, options, console.Out, interactive: !console.IsOutputRedirected, fineTunedFrom: start?.WeightsKey);
        var record = trainer.Train(supernet.Checkpoint, Resume, cancellationToken);
        var last = record.Epochs.Count > 0 ? record.Epochs[^1] : null;
        console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Checkpoint {supernet.Checkpoint}: {record.CompletedEpochs} epochs, {record.TrainingSeconds / 60:0.0} min; val top-1 largest {last?.LargestAccuracy:P2}, smallest {last?.SmallestAccuracy:P2}."));
        return (int)ExitCode.Success;
    }

    /// <summary>The recipe: hwnas.yaml's <c>training:</c> section with this command's flags over it.</summary>
    internal TrainingOptions BuildOptions(HwNasConfig config)
    {
        var recipe = config.Training;
        var optimizer = Optimizer is null ? recipe.Optimizer : ParseFlag<TrainingOptimizer>("--optimizer", Optimizer, "training.optimizer");
        var distillation = Distillation is null ? recipe.Distillation : ParseFlag<DistillationKind>("--distillation", Distillation, "training.distillation");
        var defaults = new TrainingOptions();
        var adamw = optimizer == TrainingOptimizer.AdamW;
        // An optimiser named on the command line brings its own default rate and decay unless they are given as well.
        var optimizerFromFlag = Optimizer is not null && optimizer != recipe.Optimizer;
        return new TrainingOptions
        {
            Method = Method is null ? recipe.Method : ParseFlag<TrainingMethod>("--method", Method, "training.method"),
            Epochs = Epochs ?? recipe.Epochs,
            PhaseEpochs = PhaseEpochs is null ? recipe.Progressive : ParsePhaseEpochs(PhaseEpochs),
            BatchSize = Batch ?? recipe.Batch,
            Optimizer = adamw ? OptimizerKind.AdamW : OptimizerKind.Sgd,
            LearningRate = LearningRate ?? (optimizerFromFlag ? null : recipe.LearningRate) ?? (adamw ? 0.002 : defaults.LearningRate),
            WarmupSteps = WarmupSteps ?? recipe.WarmupSteps,
            WeightDecay = WeightDecay ?? (optimizerFromFlag ? null : recipe.WeightDecay) ?? (adamw ? 0.01 : defaults.WeightDecay),
            LabelSmoothing = LabelSmoothing ?? recipe.LabelSmoothing,
            RandomSubnetsPerStep = RandomSubnets ?? recipe.RandomSubnets,
            Distillation = distillation == DistillationKind.Kl ? DistillationLoss.KullbackLeibler : DistillationLoss.SoftCrossEntropy,
            HorizontalFlip = !NoFlip && recipe.Flip,
            Seed = Seed ?? recipe.Seed ?? config.Search.Seed,
            EpochValidationImages = EpochValidationImages ?? config.Dataset.ValidationImages,
            LogEverySteps = LogEvery ?? defaults.LogEverySteps,
            Threads = Threads ?? recipe.Threads,
        };
    }

    // A flag takes the words of its hwnas.yaml key, and only those.
    private static TEnum ParseFlag<TEnum>(string flag, string word, string key)
        where TEnum : struct, Enum
    {
        var allowed = ConfigKeys.Find(key)!.AllowedValues;
        return allowed.Contains(word.ToLowerInvariant())
            ? ConfigChoices.Parse<TEnum>(word)
            : throw new HwNasException($"Invalid {flag} '{word}': expected {string.Join(" or ", allowed)}.", ExitCode.BadConfig);
    }

    private static ProgressiveEpochs ParsePhaseEpochs(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var epochs = new int[parts.Length];
        if (parts.Length != 4
            || !parts.Select((p, i) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out epochs[i])).All(ok => ok))
        {
            throw new HwNasException(
                $"Invalid --phase-epochs '{text}': expected four whole numbers LARGEST,KERNEL,DEPTH,EXPAND, e.g. 3,2,3,3.", ExitCode.BadConfig);
        }

        return new ProgressiveEpochs(epochs[0], epochs[1], epochs[2], epochs[3]);
    }

    // The checkpoint a fine-tuning run starts from: its record (for the layers it needs) and what identifies its weights.
    private sealed record StartingPoint(string Path, TrainingRecord Record)
    {
        public static StartingPoint Read(string path) => File.Exists(path)
            ? new StartingPoint(path, TrainingRecord.Read(path))
            : throw new HwNasException($"--from: checkpoint not found: {path}.", ExitCode.MissingInput);

        // The record's hash, which loading the weights checks against the file before anything uses this key.
        public string WeightsKey => $"{System.IO.Path.GetFileName(Path)} sha256:{Record.WeightsSha256}";

        public string Describe() => Record.ImportedFrom is { } imported
            ? $"imported from {imported}"
            : string.Create(CultureInfo.InvariantCulture, $"{Record.CompletedEpochs} epochs of {Record.Recipe.Method.ToString().ToLowerInvariant()} training");
    }
}
