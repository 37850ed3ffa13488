using System.Globalization;
using System.Text;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Text;

namespace HwAwareNas.Reporting;

/// <summary>
/// Writes <c>pareto.csv</c>: one row per sub-network on the verified (measured) front, ordered by latency. Fields follow
/// RFC 4180 quoting (a field holding a comma, quote or line break is quoted, quotes doubled), which the genome's OFA JSON
/// always needs; numbers use the invariant culture with round-trip precision; empty fields mean "not available".
/// Columns: <c>genome, accuracy, latency_ms, latency_median_ms, latency_p90_ms, latency_stdev_ms, runs,
/// predicted_accuracy, predicted_latency_ms, params, macs, size_bytes, origin, selected</c>.
/// </summary>
internal sealed class CsvParetoExporter : IReportExporter
{
    private static readonly string[] Columns =
    [
        "genome", "accuracy", "latency_ms", "latency_median_ms", "latency_p90_ms", "latency_stdev_ms", "runs",
        "predicted_accuracy", "predicted_latency_ms", "params", "macs", "size_bytes", "origin", "selected",
    ];

    /// <inheritdoc />
    public string Name => "csv";

    /// <inheritdoc />
    public string FileName => "pareto.csv";

    /// <inheritdoc />
    public void Write(RunSummary summary, Stream output)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(output);
        var csv = new StringBuilder();
        csv.AppendJoin(',', Columns).Append('\n');
        foreach (var c in summary.VerifiedFront.OrderBy(c => c.LatencyMs))
        {
            string[] fields =
            [
                Rfc4180.Quote(c.Genome),
                Number(c.Accuracy),
                Number(c.LatencyMs),
                Number(c.Measured?.MedianMs),
                Number(c.Measured?.P90Ms),
                Number(c.Measured?.StandardDeviationMs),
                c.Measured?.Runs.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                Number(c.PredictedAccuracy),
                Number(c.PredictedLatencyMs),
                c.Parameters.ToString(CultureInfo.InvariantCulture),
                c.Macs.ToString(CultureInfo.InvariantCulture),
                c.SizeBytes.ToString(CultureInfo.InvariantCulture),
                c.Origin == EvaluationOrigin.Measured ? "measured" : "predicted",
                summary.Selection.Selected?.Genome == c.Genome ? "true" : "false",
            ];
            csv.AppendJoin(',', fields).Append('\n');
        }

        output.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(csv.ToString()));
    }

    private static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;
}
