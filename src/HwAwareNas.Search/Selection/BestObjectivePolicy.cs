using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Selection;

/// <summary>
/// The feasible candidate best on one objective: max-accuracy under a latency budget, or min-latency under an
/// accuracy floor. Ties go to the better values of the other objectives in order, then the smaller genome key.
/// </summary>
/// <param name="objectiveName">The objective to optimise.</param>
/// <param name="constraints">The constraints the choice must meet.</param>
public sealed class BestObjectivePolicy(string objectiveName, IReadOnlyList<Constraint> constraints) : ISelectionPolicy
{
    /// <summary>The objective optimised.</summary>
    public string ObjectiveName { get; } = objectiveName;

    /// <summary>The constraints the choice must meet.</summary>
    public IReadOnlyList<Constraint> Constraints { get; } = constraints;

    /// <summary>Highest accuracy with every constraint met (e.g. latency ≤ budget).</summary>
    public static BestObjectivePolicy MaxAccuracy(IReadOnlyList<Constraint> constraints) => new(Objective.Accuracy.Name, constraints);

    /// <summary>Lowest latency with accuracy ≥ <paramref name="accuracyFloor"/> and every other constraint met.</summary>
    public static BestObjectivePolicy MinLatency(double accuracyFloor, IReadOnlyList<Constraint> constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        return new(Objective.Latency.Name, [.. constraints, Constraint.AtLeast(Objective.Accuracy.Name, accuracyFloor)]);
    }

    /// <inheritdoc />
    public SelectionResult Choose(IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(candidates);
        var index = ObjectiveIndex.Of(objectives, ObjectiveName);
        var feasible = FeasibleCandidates.Filter(objectives, candidates, Constraints);
        if (feasible.Count == 0)
        {
            return FeasibleCandidates.NoneFeasible(objectives, candidates, Constraints);
        }

        var ordered = feasible.OrderBy(c => objectives[index].ToMinimization(c.Values[index]));
        return new SelectionResult(FeasibleCandidates.ThenByObjectives(ordered, objectives).First(), []);
    }
}
