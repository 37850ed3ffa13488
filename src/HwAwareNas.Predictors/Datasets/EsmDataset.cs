using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Predictors.Datasets;

/// <summary>How one depth bin scored on the held-out set after a round.</summary>
/// <param name="Bin">Bin index.</param>
/// <param name="MinDepth">Smallest total depth in the bin.</param>
/// <param name="MaxDepth">Largest total depth in the bin.</param>
/// <param name="Samples">Training samples in the bin so far.</param>
/// <param name="Added">Training samples the round added to the bin.</param>
/// <param name="HeldOut">Held-out samples in the bin.</param>
/// <param name="KendallTau">Kendall τ on the bin's held-out samples (NaN below two, or when they tie).</param>
/// <param name="Mape">MAPE on the bin's held-out samples, a fraction (NaN when it has none).</param>
/// <param name="MeetsTargets">Whether the bin's MAPE meets the target (what decides which bins are extended).</param>
public sealed record EsmBinReport(
    int Bin, int MinDepth, int MaxDepth, int Samples, int Added, int HeldOut, double KendallTau, double Mape, bool MeetsTargets);

/// <summary>One round of the loop: the training set's size, the held-out quality overall and per bin.</summary>
/// <param name="Index">1 for the initial sample, then 2, 3, ...</param>
/// <param name="TotalSamples">Training samples measured so far.</param>
/// <param name="Quality">The predictor fitted on them, scored on the whole held-out set.</param>
/// <param name="Bins">Per-bin scores.</param>
/// <param name="MeetsTargets">Whether the overall τ and MAPE meet the targets (what stops the loop).</param>
public sealed record EsmRound(int Index, int TotalSamples, PredictionQuality Quality, IReadOnlyList<EsmBinReport> Bins, bool MeetsTargets);

/// <summary>Why the loop stopped.</summary>
public enum EsmStopReason
{
    /// <summary>The held-out τ and MAPE met the targets.</summary>
    TargetsMet,

    /// <summary>The training-sample budget was spent first.</summary>
    BudgetSpent,

    /// <summary>The space holds no unmeasured sub-network of the bins to extend.</summary>
    SpaceExhausted,
}

/// <summary>The measured training and held-out sets, the history of the loop, and the predictor of its last round.</summary>
/// <param name="Genomes">Measured canonical training genomes, in the order they were drawn.</param>
/// <param name="Values">Their measured values.</param>
/// <param name="HoldOutGenomes">The depth-balanced held-out genomes.</param>
/// <param name="HoldOutValues">Their measured values.</param>
/// <param name="Rounds">Scores after every round.</param>
/// <param name="StopReason">Why the loop stopped.</param>
/// <param name="Predictor">The predictor fitted on the training set (the last round's, which <see cref="Final"/> scores); the caller's to dispose.</param>
public sealed record EsmDataset(
    IReadOnlyList<Genome> Genomes,
    IReadOnlyList<double> Values,
    IReadOnlyList<Genome> HoldOutGenomes,
    IReadOnlyList<double> HoldOutValues,
    IReadOnlyList<EsmRound> Rounds,
    EsmStopReason StopReason,
    GenomePredictor Predictor)
{
    /// <summary>Whether the targets were met.</summary>
    public bool Converged => StopReason == EsmStopReason.TargetsMet;

    /// <summary>The last round: the stored predictor's quality.</summary>
    public EsmRound Final => Rounds[^1];
}
