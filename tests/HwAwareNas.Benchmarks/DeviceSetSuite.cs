using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Results;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// One optimize run for K devices against K single-device runs: accuracy validations and wall time for K = 1, 2, 3, and
/// per device the model each way. The devices are emulated on this machine by profiles whose ONNX Runtime settings give
/// different latency profiles (threads, batch); each run starts from an empty results store, so nothing is reused.
/// </summary>
internal static class DeviceSetSuite
{
    // Different thread counts and batch sizes change which layers dominate latency, so each device has its own front.
    private static readonly (string Name, int Threads, int Batch)[] Devices = [("cpu-1t", 1, 1), ("cpu-2t", 2, 1), ("cpu-1t-b8", 1, 8)];

    /// <summary>Runs the suite; returns its two tables.</summary>
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var validations = run.Settings.DeviceSetValidations;
        var singles = new List<RunResult>();
        foreach (var device in Devices)
        {
            singles.Add(await OptimizeAsync(run, $"single-{device.Name}", ["--device", device.Name], validations, cancellationToken).ConfigureAwait(false));
        }

        var together = new List<RunResult> { singles[0] };
        for (var k = 2; k <= Devices.Length; k++)
        {
            var names = string.Join(',', Devices.Take(k).Select(d => d.Name));
            together.Add(await OptimizeAsync(run, $"together-{k}", ["--devices", names], validations, cancellationToken).ConfigureAwait(false));
        }

        return [CostTable(run, singles, together, validations), SelectionTable(singles, together[^1])];
    }

    private static ResultTable CostTable(BenchmarkRun run, List<RunResult> singles, List<RunResult> together, int validations)
    {
        var one = singles[0].AccuracyValidations;
        var rows = new List<string[]>();
        for (var k = 1; k <= Devices.Length; k++)
        {
            var joint = together[k - 1];
            var separate = singles.Take(k).ToList();
            var separateValidations = separate.Sum(s => s.AccuracyValidations);
            rows.Add(
            [
                k.ToString(CultureInfo.InvariantCulture),
                joint.AccuracyValidations.ToString(CultureInfo.InvariantCulture),
                Ratio(joint.AccuracyValidations, one),
                F(joint.Wall.TotalSeconds, 0),
                separateValidations.ToString(CultureInfo.InvariantCulture),
                Ratio(separateValidations, one),
                F(separate.Sum(s => s.Wall.TotalSeconds), 0),
            ]);
        }

        // The benchmark runs under the invariant culture (Program), so the interpolations below format numbers alike everywhere.
        var note =
            $"The sample ({run.Settings.CalibrationImages} calibration / {run.Settings.ValidationImages} validation images), search.validations {validations}, "
            + $"strategy and budget (latency_fraction, per device) as in the sample. Devices emulated here: {string.Join(", ", Devices.Select(d => $"{d.Name} ({d.Threads} thread{(d.Threads > 1 ? "s" : string.Empty)}, batch {d.Batch})"))}. "
            + "\"Accuracy validations\" are the sub-networks whose accuracy a run computed (BN re-calibration + top-1), counted in its fresh results store; "
            + "K separate runs are the single-device runs of the first K devices, each with its own store (as on separate CI jobs). "
            + "Goal: one run for K devices ≤ 1.3× the validations of one device. Wall times include latency measurement on every device (here one after another, since all share this machine's cores).";
        return new ResultTable(
            "devices-validations",
            "One run for K devices vs K separate runs: accuracy validations and wall time",
            note,
            ["K", "one_run_validations", "vs_one_device", "one_run_wall_s", "separate_validations", "separate_vs_one_device", "separate_wall_s"],
            rows);
    }

    private static ResultTable SelectionTable(List<RunResult> singles, RunResult together)
    {
        var rows = new List<string[]>();
        for (var i = 0; i < Devices.Length; i++)
        {
            var alone = singles[i].Choices.Single();
            var joint = together.Choices[i];
            rows.Add(
            [
                Devices[i].Name,
                F(alone.AccuracyPercent, 2),
                F(alone.LatencyMs, 3),
                F(alone.BudgetMs, 3),
                Met(alone),
                F(joint.AccuracyPercent, 2),
                F(joint.LatencyMs, 3),
                F(joint.BudgetMs, 3),
                Met(joint),
                alone.AccuracyPercent is { } a && joint.AccuracyPercent is { } b ? F(b - a, 2) : "–",
                alone.Genome is not null && alone.Genome == joint.Genome ? "yes" : "no",
            ]);
        }

        return new ResultTable(
            "devices-selection",
            $"Per device: the model of the one {Devices.Length}-device run vs the model of the device's own run",
            "Accuracy (%) on the validation subset and latency (ms) as each run measured them; the budget is the device's latency_fraction of its own largest sub-network, "
            + "resolved by each run. Δ accuracy = one run − own run, in percentage points: what sharing the search costs (or gains) the device.",
            ["device", "own_run_acc_%", "own_run_latency_ms", "own_run_budget_ms", "own_run_met", "one_run_acc_%", "one_run_latency_ms", "one_run_budget_ms", "one_run_met", "delta_acc_pp", "same_genome"],
            rows);
    }

    private static string Met(Choice choice) => choice.Genome is null ? "none" : choice.LatencyMs <= choice.BudgetMs ? "yes" : "no";

    private static string Ratio(int value, int baseline) => baseline == 0 ? "–" : F((double)value / baseline, 2) + "×";

    private static string F(double? value, int decimals) =>
        value is { } v ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "–";

    private static async Task<RunResult> OptimizeAsync(BenchmarkRun run, string name, IReadOnlyList<string> deviceArguments, int validations, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(run.WorkFolder, "devices", name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var yaml = Path.Combine(folder, "hwnas.yaml");
        BenchmarkConfig.Write(run.SampleYaml, yaml, run.Settings.CalibrationImages, run.Settings.ValidationImages, validations: validations);
        Directory.CreateDirectory(Path.Combine(folder, "devices"));
        foreach (var (device, threads, batch) in Devices)
        {
            File.WriteAllText(Path.Combine(folder, "devices", device + ".yaml"), string.Create(CultureInfo.InvariantCulture, $"""
                name: {device}
                provider: cpu
                threads: {threads}
                batch: {batch}
                measure:
                  statistic: p10

                """));
        }

        var output = Path.Combine(folder, "out");
        Progress.Note($"devices: optimize {string.Join(' ', deviceArguments)}");
        var child = await ChildRun.DotnetAsync(
            [run.ToolDll, "optimize", yaml, "-o", output, .. deviceArguments], folder, Path.Combine(folder, "optimize.log"), cancellationToken).ConfigureAwait(false);
        if (child.ExitCode is not (0 or 4))
        {
            throw new InvalidOperationException($"optimize {string.Join(' ', deviceArguments)} exited {child.ExitCode}; see {Path.Combine(folder, "optimize.log")}");
        }

        int accuracyValidations;
        using (var store = ResultsStore.Open(ResultsStore.DefaultPath(yaml)))
        {
            accuracyValidations = store.ListAccuracies(run.Sample.Session.CheckpointHash, run.Sample.Session.Data.Key).Count;
        }

        var choices = deviceArguments[0] == "--device" ? [ChoiceOf(Path.Combine(output, "results.json"))] : ChoicesOf(Path.Combine(output, "summary.json"));
        return new RunResult(accuracyValidations, child.Wall, choices);
    }

    private static Choice ChoiceOf(string resultsJson)
    {
        using var results = JsonDocument.Parse(File.ReadAllText(resultsJson));
        var root = results.RootElement;
        var budget = root.GetProperty("constraints").EnumerateArray().Single(c => c.GetProperty("objective").GetString() == "latency").GetProperty("bound").GetDouble();
        return root.GetProperty("selection").TryGetProperty("selected", out var selected) && selected.ValueKind == JsonValueKind.Object
            ? new Choice(selected.GetProperty("genome").GetString(), selected.GetProperty("accuracy").GetDouble(), selected.GetProperty("latencyMs").GetDouble(), budget)
            : new Choice(null, null, null, budget);
    }

    private static List<Choice> ChoicesOf(string summaryJson)
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(summaryJson));
        return [.. summary.RootElement.GetProperty("devices").EnumerateArray().Select(d =>
        {
            var budget = d.GetProperty("latency_budget_ms").GetDouble();
            return d.GetProperty("selected") is { ValueKind: JsonValueKind.Object } selected
                ? new Choice(selected.GetProperty("genome").GetString(), selected.GetProperty("accuracy").GetDouble(), selected.GetProperty("latency_ms").GetDouble(), budget)
                : new Choice(null, null, null, budget);
        })];
    }

    private sealed record RunResult(int AccuracyValidations, TimeSpan Wall, IReadOnlyList<Choice> Choices);

    private sealed record Choice(string? Genome, double? AccuracyPercent, double? LatencyMs, double BudgetMs);
}
