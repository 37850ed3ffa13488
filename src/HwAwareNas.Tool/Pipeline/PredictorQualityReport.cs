using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using Objective = HwAwareNas.Core.Evaluation.Objective;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Reporting;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// How well the configured predictors rank the verified sub-networks: fitted on every other measured trial,
/// scored (Kendall τ, MAPE, Spearman ρ, RMSE) on the verified front's live values.
/// </summary>
internal static class PredictorQualityReport
{
    /// <summary>One quality row per objective (accuracy, latency); empty when too few trials to fit or score.</summary>
    public static IReadOnlyList<PredictorQuality> Measure(
        ISearchSpace space, PredictorOptions predictors, IReadOnlyList<EvaluatedCandidate> measured, IReadOnlyList<EvaluatedCandidate> verified)
    {
        var held = verified.Select(c => c.Genome.Key).ToHashSet(StringComparer.Ordinal);
        var training = measured.Where(c => !held.Contains(c.Genome.Key)).GroupBy(c => c.Genome.Key).Select(g => g.First()).ToList();
        if (training.Count < 4 || verified.Count < 2)
        {
            return [];
        }

        return
        [
            Score(space, StrategyFactory.PredictorName(predictors.Accuracy), Objective.Accuracy, 0, training, verified),
            Score(space, StrategyFactory.PredictorName(predictors.Latency), Objective.Latency, 1, training, verified),
        ];
    }

    private static PredictorQuality Score(
        ISearchSpace space, string name, Objective objective, int index, List<EvaluatedCandidate> training, IReadOnlyList<EvaluatedCandidate> verified)
    {
        var surrogate = new GenomeSurrogate(space, name);
        surrogate.Fit([.. training.Select(c => c.Genome)], [.. training.Select(c => c.Values[index])]);
        // Reports give accuracy in percent (see CandidateFacts); the scale changes RMSE only.
        var scale = objective == Objective.Accuracy ? CandidateFacts.PercentPerFraction : 1;
        var predicted = surrogate.Predict([.. verified.Select(c => c.Genome)]).Select(p => p * scale).ToList();
        var actual = verified.Select(c => c.Values[index] * scale).ToList();
        return new PredictorQuality(
            name,
            objective.Name,
            objective.Unit,
            QualityMetrics.KendallTau(actual, predicted),
            QualityMetrics.Mape(actual, predicted),
            QualityMetrics.SpearmanRho(actual, predicted),
            QualityMetrics.Rmse(actual, predicted),
            actual.Count,
            [.. actual.Zip(predicted, (a, p) => new PredictionPair(a, p))]);
    }
}
