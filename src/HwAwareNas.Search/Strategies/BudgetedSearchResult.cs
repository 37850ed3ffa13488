using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Strategies;

/// <summary>What a search run under <see cref="SearchBudgets"/> found and how much of the budgets it used.</summary>
/// <param name="Outcome">The search's outcome; when a budget stopped it, the front of everything measured so far.</param>
/// <param name="StopReason">Why the search ended.</param>
/// <param name="WallTime">Wall time the search ran for (what the wall-time limit is compared with).</param>
/// <param name="FirstMet">The first measured candidate of the study that met every constraint, or null when none did.</param>
/// <param name="ValidationsWhenMet">How many validations the study had spent when <paramref name="FirstMet"/> was measured, or null.</param>
public sealed record BudgetedSearchResult(
    SearchOutcome Outcome,
    SearchStopReason StopReason,
    TimeSpan WallTime,
    EvaluatedCandidate? FirstMet,
    int? ValidationsWhenMet);
