using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Selection;

/// <summary>
/// Selection that confirms its choice with fresh measurements. The candidate a policy picks from many measured near a
/// budget is the one whose measurement came out luckiest (the winner's curse), so a later re-measurement tends to miss
/// the budget. Here the policy's best candidates are measured again, in one batch, and each keeps the worse of its two
/// values per objective; a candidate whose confirmed values break a constraint drops out and the next is confirmed, until
/// the policy's choice is a confirmed one.
/// </summary>
internal sealed class ConfirmedSelection
{
    private readonly ISelectionPolicy _policy;
    private readonly IEvaluator _confirmation;
    private readonly int _finalistsPerRound;
    private readonly int _maxRounds;

    /// <summary>Creates the selection.</summary>
    /// <param name="policy">The policy that ranks candidates; its constraints are those confirmed values must meet.</param>
    /// <param name="confirmation">Measures candidates anew (not from earlier measurements).</param>
    /// <param name="finalistsPerRound">Best unconfirmed candidates measured together in one round.</param>
    /// <param name="maxRounds">Most rounds; after them only confirmed candidates can be chosen.</param>
    public ConfirmedSelection(ISelectionPolicy policy, IEvaluator confirmation, int finalistsPerRound, int maxRounds)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(confirmation);
        ArgumentOutOfRangeException.ThrowIfLessThan(finalistsPerRound, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRounds, 1);
        _policy = policy;
        _confirmation = confirmation;
        _finalistsPerRound = finalistsPerRound;
        _maxRounds = maxRounds;
    }

    /// <summary>Chooses among <paramref name="candidates"/> (measured values following <paramref name="objectives"/>).</summary>
    public async Task<ConfirmedSelectionResult> ChooseAsync(
        IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> candidates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(candidates);
        if (!_confirmation.Objectives.Select(o => o.Name).SequenceEqual(objectives.Select(o => o.Name)))
        {
            throw new ArgumentException("The confirmation evaluator must measure the candidates' objectives, in the same order.", nameof(objectives));
        }

        var confirmations = new Dictionary<Genome, Confirmation>();
        for (var round = 0; round < _maxRounds; round++)
        {
            var pool = Confirmation.Apply(candidates, confirmations);
            var finalists = NextFinalists(objectives, pool, confirmations);
            if (finalists.Count == 0)
            {
                return new ConfirmedSelectionResult(_policy.Choose(objectives, pool), [.. confirmations.Values]);
            }

            var remeasured = await _confirmation.EvaluateAsync([.. finalists.Select(f => f.Genome)], cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < finalists.Count; i++)
            {
                var confirmed = new EvaluatedCandidate(finalists[i].Genome, Worse(objectives, finalists[i].Values, remeasured[i].Values), EvaluationOrigin.Measured)
                    .WithConstraints(objectives, _policy.Constraints);
                confirmations[finalists[i].Genome] = new Confirmation(finalists[i], remeasured[i], confirmed);
            }
        }

        // Out of rounds: only a confirmed candidate may be chosen; the nearest misses still see every candidate.
        var passed = confirmations.Values.Where(k => k.Passed).Select(k => k.Confirmed).ToList();
        var choice = _policy.Choose(objectives, passed);
        if (!choice.IsFeasible)
        {
            choice = new SelectionResult(null, _policy.Choose(objectives, Confirmation.Apply(candidates, confirmations)).Nearest);
        }

        return new ConfirmedSelectionResult(choice, [.. confirmations.Values]);
    }

    /// <summary>
    /// The policy's best unconfirmed candidates, best first, up to one round's worth; empty when the policy's best is
    /// already confirmed (it is the choice) or nothing is feasible.
    /// </summary>
    private List<EvaluatedCandidate> NextFinalists(
        IReadOnlyList<Objective> objectives, List<EvaluatedCandidate> pool, Dictionary<Genome, Confirmation> confirmations)
    {
        var finalists = new List<EvaluatedCandidate>();
        var remaining = pool;
        while (finalists.Count < _finalistsPerRound)
        {
            var best = _policy.Choose(objectives, remaining).Chosen;
            if (best is null || confirmations.ContainsKey(best.Genome))
            {
                break;
            }

            finalists.Add(best);
            remaining = [.. remaining.Where(c => !c.Genome.Equals(best.Genome))];
        }

        return finalists;
    }

    private static double[] Worse(IReadOnlyList<Objective> objectives, IReadOnlyList<double> first, IReadOnlyList<double> second) =>
        [.. objectives.Select((o, i) => o.Direction == ObjectiveDirection.Minimize ? Math.Max(first[i], second[i]) : Math.Min(first[i], second[i]))];
}

/// <summary>One candidate measured again before selection.</summary>
/// <param name="Searched">The candidate as the search measured it.</param>
/// <param name="Remeasured">The fresh measurement.</param>
/// <param name="Confirmed">The worse of the two per objective, with the policy's constraints applied.</param>
public sealed record Confirmation(EvaluatedCandidate Searched, EvaluatedCandidate Remeasured, EvaluatedCandidate Confirmed)
{
    /// <summary>Whether the confirmed values meet every constraint.</summary>
    public bool Passed => Confirmed.IsFeasible;

    /// <summary><paramref name="candidates"/> with each confirmed one replaced by its confirmed values.</summary>
    public static List<EvaluatedCandidate> Apply(IEnumerable<EvaluatedCandidate> candidates, IReadOnlyDictionary<Genome, Confirmation> confirmations)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(confirmations);
        return [.. candidates.Select(c => confirmations.TryGetValue(c.Genome, out var k) ? k.Confirmed : c)];
    }
}

/// <summary>A confirmed selection and every confirmation it took, in the order they were measured.</summary>
/// <param name="Selection">The choice (with confirmed values), or the nearest misses.</param>
/// <param name="Confirmations">The candidates measured again.</param>
public sealed record ConfirmedSelectionResult(SelectionResult Selection, IReadOnlyList<Confirmation> Confirmations);
