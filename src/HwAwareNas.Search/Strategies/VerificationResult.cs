using HwAwareNas.Core.Evaluation;
using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Strategies;

/// <summary>The outcome of <see cref="FrontVerification"/>.</summary>
/// <param name="Remeasured">Every predicted-front member with its live values and constraint violation.</param>
/// <param name="Verified">The truly feasible, truly non-dominated members.</param>
public sealed record VerificationResult(IReadOnlyList<EvaluatedCandidate> Remeasured, ParetoFront Verified);
