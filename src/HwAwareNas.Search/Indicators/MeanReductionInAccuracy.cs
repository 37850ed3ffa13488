using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Indicators;

/// <summary>
/// Laube et al.'s "mean reduction in accuracy": what a predictor-guided search costs at selection time.
/// </summary>
/// <remarks>
/// Definition used here. Let T be the true Pareto front (measured accuracy and latency) and P the front the
/// predictor-guided search returned, with each member's <em>measured</em> values. For every t ∈ T, with latency
/// budget L = latency(t), the deployable choice from P is the member with the highest measured accuracy among
/// those whose measured latency ≤ L; its reduction is accuracy(t) − that accuracy, or accuracy(t) itself when no
/// member of P fits the budget (nothing deployable). Reductions below 0 (P holds a point better than T's, i.e. T
/// was not the true front) count as 0. The indicator is the mean over T, in accuracy units; 0 means P serves every
/// budget as well as the true front.
/// </remarks>
internal static class MeanReductionInAccuracy
{
    /// <summary>Computes the indicator; <paramref name="trueFront"/> must not be empty.</summary>
    public static double Compute(
        IReadOnlyList<Objective> objectives,
        IReadOnlyList<EvaluatedCandidate> trueFront,
        IReadOnlyList<EvaluatedCandidate> predictedFront,
        string accuracyObjective = "accuracy",
        string latencyObjective = "latency")
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(trueFront);
        ArgumentNullException.ThrowIfNull(predictedFront);
        if (trueFront.Count == 0)
        {
            throw new ArgumentException("The true front is empty.", nameof(trueFront));
        }

        var acc = ObjectiveIndex.Of(objectives, accuracyObjective);
        var lat = ObjectiveIndex.Of(objectives, latencyObjective);
        var total = 0.0;
        foreach (var t in trueFront)
        {
            var budget = t.Values[lat];
            var best = predictedFront
                .Where(p => p.Values[lat] <= budget)
                .Select(p => p.Values[acc])
                .DefaultIfEmpty(double.NaN)
                .Max();
            total += double.IsNaN(best) ? t.Values[acc] : Math.Max(0, t.Values[acc] - best);
        }

        return total / trueFront.Count;
    }
}
