namespace HwAwareNas.Predictors.Datasets;

/// <summary>Settings of ESM's fit → evaluate per depth bin → extend loop.</summary>
public sealed record EsmDatasetOptions
{
    /// <summary>Number of depth bins.</summary>
    public int BinCount { get; init; } = 5;

    /// <summary>Training samples measured before the first fit.</summary>
    public int InitialSamples { get; init; } = 100;

    /// <summary>Training samples added per round, shared among the bins that miss a target.</summary>
    public int ExtensionSamples { get; init; } = 50;

    /// <summary>The most training samples measured in all (the held-out set comes on top); the loop stops when it is spent.</summary>
    public int MaxSamples { get; init; } = 1000;

    /// <summary>Size of the depth-balanced held-out set every round is scored on; measured once, never trained on.</summary>
    public int HoldOutSamples { get; init; } = 100;

    /// <summary>Kendall τ on the held-out set the predictor must reach.</summary>
    public double TargetTau { get; init; } = 0.9;

    /// <summary>MAPE on the held-out set (a fraction: 0.05 = 5%) the predictor must stay within.</summary>
    public double TargetMape { get; init; } = 0.05;

    /// <summary>
    /// Whether training samples are drawn balanced across depth bins and extended in the worst bins (ESM), or uniformly
    /// at random (the baseline benchmarks compare against; the held-out set stays balanced).
    /// </summary>
    public bool Balanced { get; init; } = true;

    /// <summary>Seed of every draw.</summary>
    public int Seed { get; init; } = 1;
}
