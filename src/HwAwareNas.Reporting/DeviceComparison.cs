using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HwAwareNas.Reporting;

/// <summary>What one optimize run over several devices chose for each: the cross-device summary.</summary>
/// <param name="ToolVersion">The tool's version.</param>
/// <param name="Started">When the run started.</param>
/// <param name="Finished">When it finished.</param>
/// <param name="Strategy">The search strategy.</param>
/// <param name="Trials">Sub-networks the one search measured (each on every device).</param>
/// <param name="AccuracyValidations">Sub-networks whose accuracy the search validated in this run (the rest came from the results store).</param>
/// <param name="Devices">Per device, in the configured order.</param>
/// <param name="BaselineValidations">
/// Uniformly scaled sub-networks validated after the search for the reports' comparison (those the search or the store
/// had not already validated).
/// </param>
public sealed record DeviceComparison(
    string ToolVersion,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    string Strategy,
    int Trials,
    int AccuracyValidations,
    IReadOnlyList<DeviceChoice> Devices,
    int BaselineValidations = 0);

/// <summary>One device's row of a <see cref="DeviceComparison"/>.</summary>
/// <param name="Device">The device profile's name (also its output folder).</param>
/// <param name="Fingerprint">The device fingerprint's key.</param>
/// <param name="Cpu">The device's CPU as its fingerprint gives it.</param>
/// <param name="Selected">The selected sub-network, or null when none met the constraints.</param>
/// <param name="LatencyBudgetMs">The latency bound on this device, or null when none was set.</param>
/// <param name="NewMeasurements">Latency measurements taken on the device in this run (not read from the store).</param>
/// <param name="SameAs">An earlier device of the list that got the same sub-network, or null.</param>
public sealed record DeviceChoice(
    string Device, string Fingerprint, string Cpu, CandidateSummary? Selected, double? LatencyBudgetMs, int NewMeasurements, string? SameAs);

/// <summary>Writes a <see cref="DeviceComparison"/> as <c>summary.md</c> and <c>summary.json</c>.</summary>
public static class DeviceComparisonWriter
{
    /// <summary>The Markdown summary's file name.</summary>
    public const string MarkdownFile = "summary.md";

    /// <summary>The JSON summary's file name.</summary>
    public const string JsonFile = "summary.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Writes both files into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(DeviceComparison comparison, string folder)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var markdown = Path.Combine(folder, MarkdownFile);
        var json = Path.Combine(folder, JsonFile);
        File.WriteAllText(markdown, Markdown(comparison));
        File.WriteAllText(json, JsonSerializer.Serialize(comparison, Json));
        return [markdown, json];
    }

    /// <summary>The Markdown text: one table row per device, then what the run shared.</summary>
    public static string Markdown(DeviceComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# hwnas optimize: one run, several devices").AppendLine();
        text.AppendLine(c, $"{comparison.Devices.Count} devices, strategy {comparison.Strategy}, {comparison.Trials} sub-networks measured on every device; "
            + $"{comparison.AccuracyValidations} accuracy validations by the search in this run and {comparison.BaselineValidations} for the uniformly scaled baselines, each shared by all devices "
            + $"({ReportFormatting.Timestamp(comparison.Started)} to {ReportFormatting.Timestamp(comparison.Finished)}).").AppendLine();
        text.AppendLine("| device | selected sub-network | accuracy | latency (ms) | budget (ms) | met | same as | new latency measurements | report |");
        text.AppendLine("|---|---|---:|---:|---:|---|---|---:|---|");
        foreach (var d in comparison.Devices)
        {
            var selected = d.Selected;
            text.AppendLine(c, $"| {d.Device} | {(selected is null ? "none meets the constraints" : "`" + selected.Genome + "`")} "
                + $"| {(selected is null ? "–" : ReportFormatting.Number(selected.Accuracy) + " %")} | {ReportFormatting.Number(selected?.LatencyMs, 3)} "
                + $"| {ReportFormatting.Number(d.LatencyBudgetMs, 3)} | {(selected is null ? "no" : "yes")} | {d.SameAs ?? "–"} | {d.NewMeasurements} | [{d.Device}/report.md]({d.Device}/report.md) |");
        }

        text.AppendLine().AppendLine("Devices:").AppendLine();
        foreach (var d in comparison.Devices)
        {
            text.AppendLine(c, $"- {d.Device}: {d.Cpu} (fingerprint `{d.Fingerprint}`)");
        }

        return text.ToString();
    }
}
