using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Reporting;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// How well the configured predictors rank and estimate the measured sub-networks: k-fold cross-validation over every
/// distinct measured one, each predicted by predictors fitted on the other folds, scored by Kendall τ, MAPE, Spearman ρ
/// and RMSE. These are the held-out figures the search's surrogates work at, on every measurement rather than on the
/// few members of the front.
/// </summary>
internal static class PredictorQualityReport
{
    /// <summary>Folds of the cross-validation.</summary>
    public const int Folds = 5;

    // Fewer measurements leave folds too small to fit a predictor on the rest.
    private const int MinSamples = 2 * Folds;

    /// <summary>
    /// One quality row per objective (accuracy, latency); empty when too few sub-networks were measured. Folds are
    /// dealt with <paramref name="seed"/>, so the figures repeat. Cancellation is checked before every fit.
    /// </summary>
    public static IReadOnlyList<PredictorQuality> Measure(
        ISearchSpace space, PredictorOptions predictors, IReadOnlyList<EvaluatedCandidate> measured, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(predictors);
        ArgumentNullException.ThrowIfNull(measured);
        var distinct = measured
            .GroupBy(c => space.Canonicalize(c.Genome).Key, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(c => c.Genome.Key, StringComparer.Ordinal)
            .ToList();
        if (distinct.Count < MinSamples)
        {
            return [];
        }

        return
        [
            Score(space, StrategyFactory.PredictorName(predictors.Accuracy), Objective.Accuracy, LiveEvaluator.AccuracyOf, distinct, seed, cancellationToken),
            Score(space, StrategyFactory.PredictorName(predictors.Latency), Objective.Latency, LiveEvaluator.LatencyMsOf, distinct, seed, cancellationToken),
        ];
    }

    private static PredictorQuality Score(
        ISearchSpace space, string name, Objective objective, Func<EvaluatedCandidate, double> valueOf, List<EvaluatedCandidate> samples, int seed, CancellationToken cancellationToken)
    {
        var predicted = CrossValidation.PredictOutOfFold(
            [.. samples.Select(c => c.Genome)], [.. samples.Select(valueOf)], Folds, seed, (genomes, values, test) =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var surrogate = new GenomeSurrogate(space, name);
                surrogate.Fit(genomes, values);
                return surrogate.Predict(test);
            });

        // Reports give accuracy in percent (see CandidateFacts); the scale changes RMSE only.
        var scale = CandidateFacts.ReportScale(objective);
        var actual = samples.Select(c => valueOf(c) * scale).ToList();
        var scaled = predicted.Select(p => p * scale).ToList();
        return new PredictorQuality(
            name,
            objective.Name,
            CandidateFacts.ReportUnit(objective),
            QualityMetrics.KendallTau(actual, scaled),
            QualityMetrics.Mape(actual, scaled) * 100,
            QualityMetrics.SpearmanRho(actual, scaled),
            QualityMetrics.Rmse(actual, scaled),
            actual.Count,
            [.. actual.Zip(scaled, (a, p) => new PredictionPair(a, p))]);
    }
}
