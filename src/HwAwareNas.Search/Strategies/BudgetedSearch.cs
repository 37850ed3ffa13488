using System.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// Runs a strategy under a wall-time limit and, optionally, until a measured candidate meets every constraint.
/// A budget that runs out cancels the strategy at its next check; what it measured is in the study and still counts.
/// </summary>
public static class BudgetedSearch
{
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
            return new BudgetedSearchResult(MeasuredSoFar(strategy, context), SearchStopReason.ConstraintsMet, clock.Elapsed, earlier.Candidate, earlier.Validations);
        }

        using var limits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (budgets.MaxTime is { } maxTime)
        {
            limits.CancelAfter(maxTime);
        }

        var watch = budgets.StopWhenMet ? new ConstraintWatch(context.LiveEvaluator, context.Constraints, budgets.AlsoRequired, limits) : null;
        SearchOutcome outcome;
        SearchStopReason reason;
        try
        {
            outcome = await strategy.RunAsync(watch is null ? context : context with { LiveEvaluator = watch }, limits.Token).ConfigureAwait(false);
            reason = SearchStopReason.Completed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = MeasuredSoFar(strategy, context);
            reason = watch?.HasMet == true ? SearchStopReason.ConstraintsMet : SearchStopReason.WallTime;
        }

        var met = FirstMet(context, budgets);
        return new BudgetedSearchResult(outcome, reason, clock.Elapsed, met?.Candidate, met?.Validations);
    }

    /// <summary>Whether <paramref name="candidate"/> (constraints applied) is measured and meets every constraint.</summary>
    internal static bool Meets(EvaluatedCandidate candidate, Func<EvaluatedCandidate, bool>? alsoRequired) =>
        candidate.Origin == EvaluationOrigin.Measured && candidate.IsFeasible && (alsoRequired?.Invoke(candidate) ?? true);

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

    private static SearchOutcome MeasuredSoFar(ISearchStrategy strategy, SearchContext context)
    {
        var measured = context.MeasuredTrials();
        return new SearchOutcome(strategy.Name, ParetoFront.Of(context.Objectives, measured), measured, []);
    }

    /// <summary>
    /// Passes evaluations through and cancels the search once a batch holds a measured candidate meeting every
    /// constraint; the batch itself is returned whole, so the study records it.
    /// </summary>
    private sealed class ConstraintWatch(
        IEvaluator inner, IReadOnlyList<Constraint> constraints, Func<EvaluatedCandidate, bool>? alsoRequired, CancellationTokenSource stop)
        : IEvaluator
    {
        public bool HasMet { get; private set; }

        public IReadOnlyList<Objective> Objectives => inner.Objectives;

        public async Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            var evaluated = await inner.EvaluateAsync(genomes, cancellationToken).ConfigureAwait(false);
            if (!HasMet && evaluated.Any(c => Meets(c.WithConstraints(Objectives, constraints), alsoRequired)))
            {
                HasMet = true;
                await stop.CancelAsync().ConfigureAwait(false);
            }

            return evaluated;
        }
    }
}
