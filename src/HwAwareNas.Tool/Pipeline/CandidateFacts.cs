using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Reporting;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Turns evaluated candidates into report rows with their latency statistics, parameters and MACs. Searches work with
/// accuracy as a fraction; reports (and results.json, pareto.csv) give it in percent, the unit the objective names.
/// </summary>
internal sealed class CandidateFacts(IElasticFamily family, LiveEvaluator live)
{
    /// <summary>Percent per fraction of accuracy.</summary>
    public const double PercentPerFraction = 100;

    /// <summary>
    /// What a value of <paramref name="objective"/> is multiplied by for reports: accuracy is a fraction in memory and
    /// percent in reports; other objectives keep their unit.
    /// </summary>
    public static double ReportScale(Objective objective) => objective == Objective.Accuracy ? PercentPerFraction : 1;

    /// <summary>The unit reports give <paramref name="objective"/> in (see <see cref="ReportScale"/>).</summary>
    public static string ReportUnit(Objective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return objective == Objective.Accuracy ? "%" : objective.Unit;
    }

    /// <summary>The report row of <paramref name="candidate"/> (accuracy, latency objective order as the live evaluator's).</summary>
    public CandidateSummary Summarize(EvaluatedCandidate candidate, double? predictedAccuracy = null, double? predictedLatencyMs = null)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var plan = family.Plan(candidate.Genome);
        var statistics = live.MeasurementOf(candidate.Genome)?.Record.Statistics;
        var measured = statistics is null
            ? null
            : new LatencyStatistics(statistics.TrimmedMean, statistics.Median, statistics.P90, statistics.StandardDeviation, statistics.Count);

        // fp32 weights after BatchNorm folding: four bytes per parameter.
        return new CandidateSummary(
            family.ToOfaNotation(candidate.Genome),
            candidate.Origin,
            LiveEvaluator.AccuracyOf(candidate) * PercentPerFraction,
            LiveEvaluator.LatencyMsOf(candidate),
            candidate.Origin == EvaluationOrigin.Measured ? measured : null,
            predictedAccuracy * PercentPerFraction,
            predictedLatencyMs,
            plan.Parameters,
            plan.MultiplyAccumulates,
            plan.Parameters * sizeof(float));
    }
}
