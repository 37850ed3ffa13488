using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Predictors.Datasets;

/// <summary>How one depth bin scored after a round.</summary>
/// <param name="Bin">Bin index.</param>
/// <param name="MinDepth">Smallest total depth in the bin.</param>
/// <param name="MaxDepth">Largest total depth in the bin.</param>
/// <param name="Samples">Samples in the bin so far.</param>
/// <param name="Added">Samples the round added to the bin.</param>
/// <param name="Score">Share of the bin's out-of-fold predictions within the tolerance (NaN when the bin is empty).</param>
/// <param name="MeetsThreshold">Whether the score reached the threshold (with at least two samples).</param>
public sealed record EsmBinReport(int Bin, int MinDepth, int MaxDepth, int Samples, int Added, double Score, bool MeetsThreshold);

/// <summary>One round of the loop: the samples it added and how every bin scored afterwards.</summary>
/// <param name="Index">0 for the initial sample, then 1, 2, ...</param>
/// <param name="TotalSamples">Samples measured so far.</param>
/// <param name="Bins">Per-bin scores.</param>
public sealed record EsmRound(int Index, int TotalSamples, IReadOnlyList<EsmBinReport> Bins);

/// <summary>The measured dataset, the history of the loop, and a predictor fitted on all of it.</summary>
/// <param name="Genomes">Measured canonical genomes.</param>
/// <param name="Values">Their measured values.</param>
/// <param name="Rounds">Scores after every round.</param>
/// <param name="Converged">Whether every bin met the threshold before the budget ran out.</param>
/// <param name="Predictor">A predictor fitted on the whole dataset.</param>
public sealed record EsmDataset(
    IReadOnlyList<Genome> Genomes,
    IReadOnlyList<double> Values,
    IReadOnlyList<EsmRound> Rounds,
    bool Converged,
    GenomePredictor Predictor);
