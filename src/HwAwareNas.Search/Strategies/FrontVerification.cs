using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// Laube et al.'s verification step: re-measure a predicted Pareto front with the live evaluator and keep only
/// the members that are truly feasible and truly non-dominated among the re-measured ones.
/// </summary>
public static class FrontVerification
{
    /// <summary>Re-measures <paramref name="predictedFront"/> and returns the verified front and every re-measurement.</summary>
    public static async Task<VerificationResult> VerifyAsync(
        IReadOnlyList<Genome> predictedFront,
        IEvaluator liveEvaluator,
        IReadOnlyList<Constraint> constraints,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predictedFront);
        ArgumentNullException.ThrowIfNull(liveEvaluator);
        ArgumentNullException.ThrowIfNull(constraints);
        var objectives = liveEvaluator.Objectives;
        var measured = await liveEvaluator.EvaluateAsync(predictedFront, cancellationToken).ConfigureAwait(false);
        var constrained = measured.Select(c => c.WithConstraints(objectives, constraints)).ToList();
        return new VerificationResult(constrained, ParetoFront.Of(objectives, constrained));
    }
}
