using System.Globalization;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Torch.Training;

/// <summary>The optimiser used to train a super-network.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with Nesterov momentum and a cosine learning-rate schedule.</summary>
    Sgd,

    /// <summary>AdamW (decoupled weight decay) with a cosine learning-rate schedule.</summary>
    AdamW,
}

/// <summary>How the smaller sub-networks of a sandwich step learn from the largest one's outputs.</summary>
public enum DistillationLoss
{
    /// <summary>Cross-entropy against the largest sub-network's softmax (OFA's in-place distillation).</summary>
    SoftCrossEntropy,

    /// <summary>Kullback–Leibler divergence from the largest sub-network's softmax.</summary>
    KullbackLeibler,
}

/// <summary>
/// The recipe of a super-network training run: the sandwich rule or progressive shrinking, both with in-place
/// distillation from the largest sub-network.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Sandwich rule or progressive shrinking.</summary>
    public TrainingMethod Method { get; init; } = TrainingMethod.Sandwich;

    /// <summary>
    /// Epochs to train in total (a resumed run continues to this count). Progressive shrinking sets it to the total of
    /// <see cref="PhaseEpochs"/> over the phases the family has.
    /// </summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Epochs of each phase of progressive shrinking (unused by the sandwich rule).</summary>
    public ProgressiveEpochs PhaseEpochs { get; init; } = new();

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The optimiser.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Peak learning rate (after warm-up), decayed to 0 by a cosine over the run.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>Steps of linear warm-up from 0 to <see cref="LearningRate"/>.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay (L2 for SGD, decoupled for AdamW).</summary>
    public double WeightDecay { get; init; } = 4e-5;

    /// <summary>Label smoothing of the largest sub-network's cross-entropy (0 = none).</summary>
    public double LabelSmoothing { get; init; } = 0.1;

    /// <summary>Random sub-networks per step besides the largest and the smallest.</summary>
    public int RandomSubnetsPerStep { get; init; } = 2;

    /// <summary>The distillation loss of the non-largest sub-networks.</summary>
    public DistillationLoss Distillation { get; init; } = DistillationLoss.SoftCrossEntropy;

    /// <summary>Mirror training images horizontally at random (suits natural images and clothing, not digits).</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>Seed of weight initialisation, data order, augmentation and sub-network sampling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Validation images used for the per-epoch accuracy of the largest and smallest sub-networks (the last epoch uses
    /// the whole validation split).
    /// </summary>
    public int EpochValidationImages { get; init; } = 10000;

    /// <summary>Steps between progress lines when the output is not a terminal.</summary>
    public int LogEverySteps { get; init; } = 50;

    /// <summary>Threads torch uses (0 = its default).</summary>
    public int Threads { get; init; }

    /// <summary>Throws <see cref="HwNasException"/> (<see cref="ExitCode.BadConfig"/>) for settings that cannot train.</summary>
    public void Validate()
    {
        Require(Epochs >= 1, "epochs must be at least 1");
        Require(BatchSize >= 2, "batch size must be at least 2 (BatchNorm needs more than one image)");
        Require(LearningRate > 0, "learning rate must be positive");
        Require(WarmupSteps >= 0, "warm-up steps must not be negative");
        Require(Momentum is >= 0 and < 1, "momentum must be in [0, 1)");
        Require(WeightDecay >= 0, "weight decay must not be negative");
        Require(LabelSmoothing is >= 0 and < 1, "label smoothing must be in [0, 1)");
        Require(RandomSubnetsPerStep >= 0, "random sub-networks per step must not be negative");
        Require(EpochValidationImages >= 1, "epoch validation images must be at least 1");
        Require(LogEverySteps >= 1, "log interval must be at least 1 step");
        Require(Threads >= 0, "threads must not be negative");
        Require(
            PhaseEpochs is { Largest: >= 0, Kernel: >= 0, Depth: >= 0, Expand: >= 0 },
            "progressive phase epochs must not be negative");
    }

    /// <summary>The recipe as one line, for logs and the sidecar.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Optimizer} lr {LearningRate} (cosine, warm-up {WarmupSteps}), batch {BatchSize}, {MethodText} largest+smallest+{RandomSubnetsPerStep} random, {Distillation} distillation, label smoothing {LabelSmoothing}, weight decay {WeightDecay}, seed {Seed}");

    // Progressive shrinking's length is its phases' (before the trainer drops the phases a family lacks, Epochs is not it).
    private string MethodText => Method == TrainingMethod.Progressive ? $"progressive shrinking (epochs {PhaseEpochs})" : $"epochs {Epochs}, sandwich";

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new HwNasException($"Invalid training setting: {message}.", ExitCode.BadConfig);
        }
    }
}
