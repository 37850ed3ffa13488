using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Predictors.Metrics;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// Measures the latency of chosen sub-networks on the configured device (store-backed: what the store holds for
/// this fingerprint is not measured again) beside their MACs, parameters and size.
/// </summary>
internal static class LatencySurvey
{
    /// <summary>Measures <paramref name="genomes"/>; the rows follow their order.</summary>
    public static async Task<SurveyResult> MeasureAsync(
        HwNasConfig config,
        SupernetSession session,
        IReadOnlyList<Genome> genomes,
        IProgress<ProfileProgress>? progress,
        Action<string> notice,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(genomes);
        using var store = ResultsStore.Open(ResultsStore.DefaultPath(config.SourcePath));
        var onnx = new SubnetOnnx(session.Family, session.Network, () => session.Data, session.Preprocessing);
        var distinct = genomes.Select(session.Family.Canonicalize).DistinctBy(g => g.Key).ToList();
        var profiler = await DeviceProfilers.OpenAsync(config, new LatencyProfilerOptions(config.Device.Measure, []), store, notice, cancellationToken)
            .ConfigureAwait(false);
        await using var remote = profiler as IAsyncDisposable;
        store.SaveDevice(profiler.Fingerprint);
        var requests = distinct.Select(g => LiveEvaluator.RequestFor(onnx, g)).ToList();
        var measured = await profiler.ProfileAsync(requests, progress, cancellationToken).ConfigureAwait(false);
        var rows = distinct.Zip(measured, (genome, m) =>
        {
            var plan = session.Family.Plan(genome);
            var s = m.Record.Statistics;
            return new SurveyRow(
                session.Family.ToOfaNotation(genome), m.LatencyMs, s.TrimmedMean, s.Median, s.P10, s.P90, s.StandardDeviation, s.Count,
                plan.MultiplyAccumulates, plan.Parameters, plan.Parameters * sizeof(float), m.FromStore, m.Record.MeasuredBy);
        }).ToList();
        double? rho = rows.Count >= 2
            ? QualityMetrics.SpearmanRho([.. rows.Select(r => (double)r.Macs)], [.. rows.Select(r => r.LatencyMs)])
            : null;
        return new SurveyResult(profiler.Fingerprint.Key, config.Device.Measure.Statistic, rows, rho);
    }
}

/// <summary>
/// One measured sub-network; <paramref name="LatencyMs"/> is the configured statistic, <paramref name="MeasuredBy"/> the
/// device agent that measured it (null: this machine).
/// </summary>
internal sealed record SurveyRow(
    string Genome, double LatencyMs, double TrimmedMeanMs, double MedianMs, double P10Ms, double P90Ms, double StdevMs, int Runs, long Macs, long Parameters, long SizeBytes, bool FromStore, string? MeasuredBy);

/// <summary>
/// A survey: rows, the statistic that is their latency, and the Spearman ρ between MACs and latency (null below two
/// sub-networks, where no rank correlation exists).
/// </summary>
internal sealed record SurveyResult(string Fingerprint, LatencyStatistic Statistic, IReadOnlyList<SurveyRow> Rows, double? SpearmanMacsLatency);
