using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Strategies;

/// <summary>A progress report from a running strategy.</summary>
/// <param name="Stage">What the strategy is doing, e.g. <c>sample</c>, <c>nsga2</c>, <c>verify</c>.</param>
/// <param name="EvaluationsDone">Live evaluations done so far.</param>
/// <param name="EvaluationsBudget">Live evaluations the strategy plans in all.</param>
/// <param name="BestSoFar">The feasible measured candidate best on the first objective, or null.</param>
public sealed record SearchProgress(string Stage, int EvaluationsDone, int EvaluationsBudget, EvaluatedCandidate? BestSoFar)
{
    /// <summary>Fraction of the budget used, 0 to 1.</summary>
    public double Fraction => EvaluationsBudget <= 0 ? 1 : Math.Clamp((double)EvaluationsDone / EvaluationsBudget, 0, 1);
}
