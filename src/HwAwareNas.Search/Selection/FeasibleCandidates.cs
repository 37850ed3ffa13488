using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Selection;

/// <summary>Splits candidates by constraints, and explains the misses when none is feasible.</summary>
internal static class FeasibleCandidates
{
    /// <summary>How many near misses an infeasible result lists.</summary>
    public const int NearestCount = 3;

    public static List<EvaluatedCandidate> Filter(
        IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> candidates, IReadOnlyList<Constraint> constraints) =>
        [.. candidates.Select(c => c.WithConstraints(objectives, constraints)).Where(c => c.IsFeasible)];

    public static SelectionResult NoneFeasible(
        IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> candidates, IReadOnlyList<Constraint> constraints)
    {
        var nearest = candidates
            .Select(c => c.WithConstraints(objectives, constraints))
            .OrderBy(c => c.ConstraintViolation)
            .ThenBy(c => c.Genome.Key, StringComparer.Ordinal)
            .Take(NearestCount)
            .Select(c => new NearMiss(c, [.. constraints
                .Select(k => (Constraint: k, Value: c.ValueOf(objectives, k.ObjectiveName)))
                .Where(x => x.Constraint.Miss(x.Value) > 0)
                .Select(x => new ConstraintMiss(x.Constraint, x.Value, x.Constraint.Miss(x.Value)))]))
            .ToList();
        return new SelectionResult(null, nearest);
    }

    /// <summary>Orders by every objective in turn (best first), then genome key, for deterministic ties.</summary>
    public static IOrderedEnumerable<EvaluatedCandidate> ThenByObjectives(
        IOrderedEnumerable<EvaluatedCandidate> ordered, IReadOnlyList<Objective> objectives)
    {
        for (var k = 0; k < objectives.Count; k++)
        {
            var index = k;
            ordered = ordered.ThenBy(c => objectives[index].ToMinimization(c.Values[index]));
        }

        return ordered.ThenBy(c => c.Genome.Key, StringComparer.Ordinal);
    }
}
