namespace HwAwareNas.Torch.Predictors;

/// <summary>Architecture and training settings of <see cref="MlpPredictor"/>.</summary>
public sealed record MlpOptions
{
    /// <summary>ESM's surrogate: 3 × 64 ReLU, Adam lr 0.01, weight decay 1e-4.</summary>
    public static MlpOptions Esm { get; } = new();

    /// <summary>Laube et al.'s small MLP: 3 × 32 ReLU, Adam lr 1e-3.</summary>
    public static MlpOptions Small { get; } = new() { HiddenLayers = [32, 32, 32], LearningRate = 1e-3, WeightDecay = 0 };

    /// <summary>Widths of the hidden layers (each followed by a ReLU).</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [64, 64, 64];

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Adam weight decay (L2).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>Mini-batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The most passes over the training split.</summary>
    public int MaxEpochs { get; init; } = 300;

    /// <summary>Epochs without a better validation loss before training stops (the best weights are kept).</summary>
    public int Patience { get; init; } = 30;

    /// <summary>Share of the samples held out for early stopping (none below 10 samples).</summary>
    public double ValidationShare { get; init; } = 0.2;
}
