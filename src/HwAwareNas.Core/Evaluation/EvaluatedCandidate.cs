using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Core.Evaluation;

/// <summary>A genome with its objective values, measured or predicted.</summary>
/// <param name="Genome">The sub-network's genome.</param>
/// <param name="Values">One value per objective, in the order of the evaluator's objectives.</param>
/// <param name="Origin">Whether the values were measured or predicted.</param>
/// <param name="ConstraintViolation">
/// Sum of relative constraint misses (see <see cref="Constraint.RelativeMiss"/>); 0 means feasible, and also
/// stands for "no constraints applied yet".
/// </param>
public sealed record EvaluatedCandidate(
    Genome Genome,
    IReadOnlyList<double> Values,
    EvaluationOrigin Origin,
    double ConstraintViolation = 0)
{
    /// <summary>Whether every constraint applied to the candidate holds.</summary>
    public bool IsFeasible => ConstraintViolation <= 0;

    /// <summary>The value of the named objective.</summary>
    public double ValueOf(IReadOnlyList<Objective> objectives, string objectiveName) =>
        Values[ObjectiveIndex.Of(objectives, objectiveName)];

    /// <summary>A copy whose <see cref="ConstraintViolation"/> is computed from <paramref name="constraints"/>.</summary>
    public EvaluatedCandidate WithConstraints(IReadOnlyList<Objective> objectives, IReadOnlyList<Constraint> constraints)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(constraints);
        var violation = 0.0;
        foreach (var set in constraints.GroupBy(c => c.AnyOf))
        {
            var misses = set.Select(c => c.RelativeMiss(ValueOf(objectives, c.ObjectiveName)));
            violation += set.Key is null ? misses.Sum() : misses.Min();
        }

        return this with { ConstraintViolation = violation };
    }
}
