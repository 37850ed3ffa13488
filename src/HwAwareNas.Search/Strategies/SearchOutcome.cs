using HwAwareNas.Core.Evaluation;
using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Strategies;

/// <summary>What a strategy found.</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Front">The measured (verified) Pareto front: feasible and non-dominated under live values.</param>
/// <param name="Measured">Every live-measured candidate of the study, constraints applied.</param>
/// <param name="FinalPopulation">The genomes of the last population (for warm-starting a later search).</param>
public sealed record SearchOutcome(
    string Strategy,
    ParetoFront Front,
    IReadOnlyList<EvaluatedCandidate> Measured,
    IReadOnlyList<EvaluatedCandidate> FinalPopulation);
