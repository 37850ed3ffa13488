using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Operators;

/// <summary>
/// A member of an evolving population: the evaluated candidate, its objective vector in minimization form, and
/// the rank and crowding distance survival last gave it.
/// </summary>
/// <param name="Candidate">The evaluated genome.</param>
/// <param name="Vector">Objective values in minimization form (maximized objectives negated).</param>
/// <param name="Rank">Front index under constraint-domination (0 = best); -1 before survival ranked it.</param>
/// <param name="Crowding">Crowding distance within its front; 0 before survival computed it.</param>
internal sealed record Individual(EvaluatedCandidate Candidate, IReadOnlyList<double> Vector, int Rank = -1, double Crowding = 0)
{
    /// <summary>The candidate's constraint violation (0 = feasible).</summary>
    public double Violation => Candidate.ConstraintViolation;
}
