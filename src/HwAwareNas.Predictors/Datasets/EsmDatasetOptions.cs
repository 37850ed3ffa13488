namespace HwAwareNas.Predictors.Datasets;

/// <summary>Settings of ESM's train → evaluate per bin → extend loop.</summary>
public sealed record EsmDatasetOptions
{
    /// <summary>Number of depth bins.</summary>
    public int BinCount { get; init; } = 5;

    /// <summary>Samples measured before the first fit.</summary>
    public int InitialSamples { get; init; } = 100;

    /// <summary>Samples added per round, shared among the bins that miss the threshold.</summary>
    public int ExtensionSamples { get; init; } = 50;

    /// <summary>The most samples measured in all; the loop stops when it is spent.</summary>
    public int Budget { get; init; } = 1000;

    /// <summary>Relative error within which a prediction counts as accurate (0.10 = ±10%).</summary>
    public double Tolerance { get; init; } = 0.10;

    /// <summary>The share of accurate out-of-fold predictions every bin must reach.</summary>
    public double Threshold { get; init; } = 0.95;

    /// <summary>Whether to sample balanced across depth bins (ESM) or uniformly at random (the baseline).</summary>
    public bool Balanced { get; init; } = true;

    /// <summary>Folds of the cross-validation that scores the bins.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>Seed of the sampling and the folds.</summary>
    public int Seed { get; init; } = 1;
}
