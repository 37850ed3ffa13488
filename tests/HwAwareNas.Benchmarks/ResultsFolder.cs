using System.Globalization;
using System.Text;

namespace HwAwareNas.Benchmarks;

/// <summary>What the results header says about a run.</summary>
/// <param name="Settings">The run's sizes.</param>
/// <param name="Started">When it started (UTC).</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Machine">Machine fingerprint and source revision.</param>
/// <param name="LoadBefore">Load averages when it started.</param>
/// <param name="LoadAfter">Load averages when it finished.</param>
/// <param name="NewAccuracyEvaluations">Accuracy evaluations run (the others came from the measured table).</param>
/// <param name="NewLatencyMeasurements">Latency measurements taken for the table (the others came from it).</param>
/// <param name="PeakRssBytes">The benchmark process's own peak resident memory.</param>
internal sealed record RunFacts(
    BenchmarkSettings Settings,
    DateTimeOffset Started,
    TimeSpan Duration,
    IReadOnlyList<(string Name, string Value)> Machine,
    string LoadBefore,
    string LoadAfter,
    int NewAccuracyEvaluations,
    int NewLatencyMeasurements,
    long PeakRssBytes);

/// <summary>
/// Writes a run's results folder: README.md (header with the machine fingerprint, then every suite's tables) and
/// one CSV per table. Written into a staging folder first and moved into place, so a failed run leaves no half folder.
/// </summary>
internal static class ResultsFolder
{
    private static readonly Dictionary<string, string> SuiteTitles = new(StringComparer.Ordinal)
    {
        ["search"] = "Search efficiency",
        ["predictors"] = "Predictor quality",
        ["selection"] = "Selection loss",
        ["cost"] = "Measurement cost",
        ["agents"] = "Device agents",
        ["devices"] = "Several devices in one run",
        ["transfer"] = "Latency predictor transfer",
        ["validators"] = "Validators",
        ["ofa"] = "Deterministic OFA MobileNetV3 benchmark",
    };

    /// <summary>Writes <paramref name="folder"/> (replacing one of the same name).</summary>
    public static void Write(string folder, RunFacts facts, IReadOnlyList<(string Name, TimeSpan Duration, IReadOnlyList<ResultTable> Tables)> sections)
    {
        var staging = folder.TrimEnd(Path.DirectorySeparatorChar) + ".partial";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        var text = new StringBuilder();
        var s = facts.Settings;
        text.AppendLine(CultureInfo.InvariantCulture, $"# HwAwareNas benchmarks — {s.Mode} run, {facts.Started:yyyy-MM-dd HH:mm} UTC").AppendLine();
        var subset = sections.Select(x => x.Name).SequenceEqual(BenchmarkOptions.DefaultSuites) ? string.Empty : " --suites " + string.Join(',', sections.Select(x => x.Name));
        text.AppendLine($"Command: `build/bench.sh{(s.Mode == "quick" ? " --quick" : string.Empty)}{subset}` · duration **{facts.Duration.TotalMinutes:F1} min** · "
            + $"sample: samples/fashion-mnist (committed checkpoint, Debian's Fashion-MNIST).").AppendLine();
        text.AppendLine("| machine | |").AppendLine("|---|---|");
        foreach (var (name, value) in facts.Machine)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| load average (1/5/15 min) | {facts.LoadBefore} at start, {facts.LoadAfter} at the end |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| benchmark process peak RSS | {facts.PeakRssBytes / (1024.0 * 1024):F0} MB |").AppendLine();
        text.AppendLine(
            $"The \"live\" evaluator is the product's own (`LiveEvaluator`): real ONNX Runtime latency of each exported sub-network on this machine "
            + $"(the sample's device profile and measurement protocol) and real BatchNorm-recalibrated top-1 accuracy on a fixed subset of the "
            + $"Fashion-MNIST test split ({s.CalibrationImages} calibration images, first {s.ValidationImages} test images). Every value is cached "
            + $"in the benchmark's results store (benchmarks/.work), the measured table the strategies query: a sub-network is measured the first "
            + $"time any suite asks for it and looked up afterwards. This run measured {facts.NewAccuracyEvaluations} accuracies and "
            + $"{facts.NewLatencyMeasurements} latencies anew; the rest came from the table. The machine is shared (see the load average), so "
            + "latencies carry other processes' noise.").AppendLine();
        text.AppendLine("Suites: " + string.Join(" · ", sections.Select(x => $"[{SuiteTitles[x.Name]}](#{Anchor(SuiteTitles[x.Name])}) ({x.Duration.TotalMinutes:F1} min)"))).AppendLine();
        foreach (var (name, duration, tables) in sections)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {SuiteTitles[name]}").AppendLine();
            foreach (var table in tables)
            {
                text.AppendLine(table.ToMarkdown());
                File.WriteAllText(Path.Combine(staging, table.FileName + ".csv"), table.ToCsv());
                if (table.Figure is { } figure)
                {
                    File.WriteAllText(Path.Combine(staging, figure.FileName), figure.Content);
                }
            }
        }

        File.WriteAllText(Path.Combine(staging, "README.md"), text.ToString());
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.Move(staging, folder);
    }

    private static string Anchor(string title) => title.ToLowerInvariant().Replace(' ', '-');
}
