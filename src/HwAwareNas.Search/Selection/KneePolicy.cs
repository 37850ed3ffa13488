using HwAwareNas.Core.Evaluation;
using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Selection;

/// <summary>
/// The knee of the feasible front: the point that gives up least for what it gains. Objectives are normalised to
/// [0, 1] over the front (minimization form). With two objectives the knee is the member farthest below the line
/// joining the two extremes; with more, the member nearest the normalised ideal point. Ties go to the better
/// values of the objectives in order, then the smaller genome key.
/// </summary>
/// <param name="constraints">The constraints the choice must meet.</param>
public sealed class KneePolicy(IReadOnlyList<Constraint> constraints) : ISelectionPolicy
{
    /// <summary>The constraints the choice must meet.</summary>
    public IReadOnlyList<Constraint> Constraints { get; } = constraints;

    /// <inheritdoc />
    public SelectionResult Choose(IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(candidates);
        var feasible = FeasibleCandidates.Filter(objectives, candidates, Constraints);
        if (feasible.Count == 0)
        {
            return FeasibleCandidates.NoneFeasible(objectives, candidates, Constraints);
        }

        var front = ParetoFront.Of(objectives, feasible).Members;
        var vectors = ObjectiveVectors.ToMinimization(objectives, front);
        var m = objectives.Count;
        var normalised = vectors.Select(_ => new double[m]).ToArray();
        for (var k = 0; k < m; k++)
        {
            var min = vectors.Min(v => v[k]);
            var range = vectors.Max(v => v[k]) - min;
            for (var i = 0; i < vectors.Length; i++)
            {
                normalised[i][k] = range > 0 ? (vectors[i][k] - min) / range : 0;
            }
        }

        // Larger score = better knee.
        var score = new Dictionary<EvaluatedCandidate, double>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < front.Count; i++)
        {
            var p = normalised[i];

            // Extremes of a 2-D front normalise to (0,1) and (1,0); the line between them is x + y = 1.
            score[front[i]] = m == 2
                ? (1 - p[0] - p[1]) / Math.Sqrt(2)
                : -Math.Sqrt(p.Sum(x => x * x));
        }

        var ordered = front.OrderByDescending(c => score[c]);
        return new SelectionResult(FeasibleCandidates.ThenByObjectives(ordered, objectives).First(), []);
    }
}
