using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Selection;

/// <summary>An infeasible candidate that comes close, with every constraint it misses.</summary>
/// <param name="Candidate">The candidate, its <see cref="EvaluatedCandidate.ConstraintViolation"/> set.</param>
/// <param name="Misses">The constraints it misses and by how much.</param>
public sealed record NearMiss(EvaluatedCandidate Candidate, IReadOnlyList<ConstraintMiss> Misses);
