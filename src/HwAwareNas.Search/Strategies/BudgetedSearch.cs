using System.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// Runs a strategy under a wall-time limit and, optionally, until a measured candidate meets every constraint.
/// A budget that runs out cancels the strategy at its next check; what it measured is in the study and still counts.
/// A search whose smallest sub-network measures far over an upper bound stops too: nothing can meet that bound.
/// </summary>
public static class BudgetedSearch
{
    /// <summary>
    /// How many times an upper bound (latency, params, MACs, size) the measured smallest sub-network may be before the
    /// search stops as hopeless. The smallest sub-network takes the cheapest choice of every gene, so no sub-network
    /// costs much less; the factor leaves room for latency noise, which is a few per cent, not a factor of two.
    /// </summary>
    public const double HopelessFactor = 2.0;

    /// <summary>Runs <paramref name="strategy"/> in <paramref name="context"/> within <paramref name="budgets"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (not a budget).</exception>
    public static async Task<BudgetedSearchResult> RunAsync(
        ISearchStrategy strategy, SearchContext context, SearchBudgets budgets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(budgets);
        var clock = Stopwatch.StartNew();
        if (budgets.StopWhenMet && FirstMet(context, budgets) is { } earlier)
        {
            // A resumed study that already met the constraints has nothing left to search for.
            return new BudgetedSearchResult(SearchOutcome.OfStudy(strategy.Name, context, []), SearchStopReason.ConstraintsMet, clock.Elapsed, earlier.Candidate, earlier.Validations);
        }

        if (context.Storage.Trials.Any(t => IsHopeless(context, t.Candidate)))
        {
            // Nor has a resumed study whose smallest sub-network already showed that nothing can meet the constraints.
            return new BudgetedSearchResult(SearchOutcome.OfStudy(strategy.Name, context, []), SearchStopReason.NoneCanMeet, clock.Elapsed, null, null);
        }

        using var limits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (budgets.MaxTime is { } maxTime)
        {
            limits.CancelAfter(maxTime);
        }

        var watch = new BatchWatch(context, budgets, limits);
        SearchOutcome outcome;
        SearchStopReason reason;
        try
        {
            outcome = await strategy.RunAsync(context with { LiveEvaluator = watch }, limits.Token).ConfigureAwait(false);
            reason = SearchStopReason.Completed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = SearchOutcome.OfStudy(strategy.Name, context, []);
            reason = watch.IsHopeless ? SearchStopReason.NoneCanMeet
                : watch.HasMet ? SearchStopReason.ConstraintsMet
                : SearchStopReason.WallTime;
        }

        var met = FirstMet(context, budgets);
        return new BudgetedSearchResult(outcome, reason, clock.Elapsed, met?.Candidate, met?.Validations);
    }

    /// <summary>Whether <paramref name="candidate"/> (constraints applied) is measured and meets every constraint.</summary>
    internal static bool Meets(EvaluatedCandidate candidate, Func<EvaluatedCandidate, bool>? alsoRequired) =>
        candidate.Origin == EvaluationOrigin.Measured && candidate.IsFeasible && (alsoRequired?.Invoke(candidate) ?? true);

    /// <summary>
    /// Whether <paramref name="candidate"/> is the space's smallest sub-network, measured, and more than
    /// <see cref="HopelessFactor"/> times over an upper bound of the search.
    /// </summary>
    internal static bool IsHopeless(SearchContext context, EvaluatedCandidate candidate)
    {
        if (candidate.Origin != EvaluationOrigin.Measured
            || context.Space.Canonicalize(candidate.Genome).Key != context.Space.Canonicalize(context.Space.Smallest()).Key)
        {
            return false;
        }

        var names = context.Objectives.Select(o => o.Name).ToList();
        bool Over(Constraint c)
        {
            var index = names.IndexOf(c.ObjectiveName);
            return c.Comparison == ConstraintComparison.AtMost && c.Bound > 0 && index >= 0 && candidate.Values[index] > HopelessFactor * c.Bound;
        }

        // A set of alternatives is out of reach only when every member is.
        return context.Constraints.GroupBy(c => c.AnyOf).Any(set => set.Key is null ? set.Any(Over) : set.All(Over));
    }

    private static (EvaluatedCandidate Candidate, int Validations)? FirstMet(SearchContext context, SearchBudgets budgets)
    {
        var trials = context.MeasuredTrials();
        for (var i = 0; i < trials.Count; i++)
        {
            if (Meets(trials[i], budgets.AlsoRequired))
            {
                return (trials[i], i + 1);
            }
        }

        return null;
    }

    /// <summary>
    /// Passes evaluations through and cancels the search once a batch holds a measured candidate meeting every
    /// constraint (with stop-when-met), or the smallest sub-network far over an upper bound (always); the batch itself
    /// is returned whole, so the study records it.
    /// </summary>
    private sealed class BatchWatch(SearchContext context, SearchBudgets budgets, CancellationTokenSource stop) : IEvaluator
    {
        private readonly IEvaluator _inner = context.LiveEvaluator;

        public bool HasMet { get; private set; }

        public bool IsHopeless { get; private set; }

        public IReadOnlyList<Objective> Objectives => _inner.Objectives;

        public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            var evaluated = await _inner.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
            if (budgets.StopWhenMet && !HasMet && evaluated.Any(c => Meets(c.WithConstraints(Objectives, context.Constraints), budgets.AlsoRequired)))
            {
                HasMet = true;
                await stop.CancelAsync().ConfigureAwait(false);
            }

            if (!IsHopeless && evaluated.Any(c => BudgetedSearch.IsHopeless(context, c)))
            {
                IsHopeless = true;
                await stop.CancelAsync().ConfigureAwait(false);
            }

            return evaluated;
        }
    }
}
