using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Selection;

/// <summary>
/// A run's final choice: the most suitable candidate meeting every constraint and limit, from the verified front, else
/// (when limits or confirmation rule the whole front out) from everything measured, which is all live. With a
/// confirmation evaluator the choice is confirmed by a second measurement (see <see cref="ConfirmedSelection"/>) and
/// carries its confirmed values. When none qualifies, the nearest candidates with every constraint and limit they miss.
/// </summary>
public static class FinalSelection
{
    /// <summary>Rounds of finalists confirmed before only confirmed candidates may be chosen: a front rarely loses more.</summary>
    public const int MaxConfirmationRounds = 4;

    /// <summary>Chooses the candidate a run exports.</summary>
    /// <param name="policy">Ranks candidates; its constraints are those the choice must meet.</param>
    /// <param name="confirmation">Measures finalists anew, or <see langword="null"/> to choose on the search's values.</param>
    /// <param name="finalists">Finalists confirmed per round (unused without <paramref name="confirmation"/>).</param>
    /// <param name="objectives">The objectives the candidates' values follow.</param>
    /// <param name="verified">The verified front.</param>
    /// <param name="measured">Every candidate measured.</param>
    /// <param name="limitMisses">
    /// The limits beyond the policy's constraints (e.g. plan limits) a candidate misses; only a candidate missing none
    /// may be chosen.
    /// </param>
    /// <param name="cancellationToken">Stops confirmation measurements.</param>
    public static async Task<ConfirmedSelectionResult> SelectAsync(
        ISelectionPolicy policy, IEvaluator? confirmation, int finalists, IReadOnlyList<Objective> objectives,
        IReadOnlyList<EvaluatedCandidate> verified, IReadOnlyList<EvaluatedCandidate> measured,
        Func<EvaluatedCandidate, IReadOnlyList<ConstraintMiss>> limitMisses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(verified);
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(limitMisses);
        bool Allowed(EvaluatedCandidate candidate) => limitMisses(candidate).Count == 0;
        var confirmations = new Dictionary<Genome, Confirmation>();
        async Task<SelectionResult> ChooseAsync(IReadOnlyList<EvaluatedCandidate> pool)
        {
            if (confirmation is null)
            {
                return policy.Choose(objectives, pool);
            }

            var result = await new ConfirmedSelection(policy, confirmation, finalists, MaxConfirmationRounds)
                .ChooseAsync(objectives, pool, cancellationToken).ConfigureAwait(false);
            foreach (var k in result.Confirmations)
            {
                confirmations.TryAdd(k.Searched.Genome, k);
            }

            return result.Selection;
        }

        var selection = await ChooseAsync([.. verified.Where(Allowed)]).ConfigureAwait(false);
        if (!selection.IsFeasible)
        {
            selection = await ChooseAsync([.. measured.Where(Allowed)]).ConfigureAwait(false);
        }

        return new ConfirmedSelectionResult(
            selection.IsFeasible ? selection : NearestMisses(policy, objectives, Confirmation.Apply(measured, confirmations), limitMisses),
            [.. confirmations.Values]);
    }

    private static SelectionResult NearestMisses(
        ISelectionPolicy policy, IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> measured,
        Func<EvaluatedCandidate, IReadOnlyList<ConstraintMiss>> limitMisses)
    {
        var nearest = policy.Choose(objectives, measured);
        if (nearest.Chosen is null)
        {
            return new SelectionResult(null, [.. nearest.Nearest.Select(n => new NearMiss(n.Candidate, [.. n.Misses, .. limitMisses(n.Candidate)]))]);
        }

        // Some candidates meet the policy's constraints but every one of them breaks a limit: the nearest are those
        // that break the limits least.
        var feasible = measured.Select(c => c.WithConstraints(objectives, policy.Constraints)).Where(c => c.IsFeasible);
        return new SelectionResult(
            null,
            [.. feasible
                .Select(c => new NearMiss(c, limitMisses(c)))
                .OrderBy(n => n.Misses.Sum(m => m.Constraint.RelativeMiss(m.Value)))
                .ThenBy(n => n.Candidate.Genome.Key, StringComparer.Ordinal)
                .Take(3)]);
    }
}
