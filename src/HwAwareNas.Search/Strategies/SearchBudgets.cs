using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Strategies;

/// <summary>The limits a search runs under besides its strategy's own validation budget.</summary>
/// <param name="MaxTime">Wall-time limit of the search, or null for none.</param>
/// <param name="StopWhenMet">
/// Whether the search stops once a measured candidate meets every constraint: at the end of the measured batch
/// (generation, iteration or sample) that found it, so the whole batch counts and the study stays resumable.
/// </param>
/// <param name="AlsoRequired">
/// A further test a candidate must pass to count as meeting the constraints (e.g. parameter or MAC limits that are
/// not objectives of the search), or null.
/// </param>
public sealed record SearchBudgets(TimeSpan? MaxTime = null, bool StopWhenMet = false, Func<EvaluatedCandidate, bool>? AlsoRequired = null);
