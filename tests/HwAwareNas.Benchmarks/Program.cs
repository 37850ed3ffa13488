using System.Diagnostics;
using System.Globalization;
using HwAwareNas.Core.Diagnostics;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// The benchmark suite (run by <c>build/bench.sh</c>): search efficiency, predictor quality, selection loss,
/// measurement cost, device agents, several devices in one run and latency predictor transfer and validators on the Fashion-MNIST sample,
/// and (<c>--suites ofa</c>) the deterministic OFA MobileNetV3 benchmark, written as Markdown tables and CSV files under a results folder.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // Every number in the tables and CSV files is written the same way wherever the benchmark runs.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var options = BenchmarkOptions.Parse(args);
            if (options.Help)
            {
                Console.WriteLine(BenchmarkOptions.Usage);
                return 0;
            }

            return await RunAsync(options).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"bench: error: {e.Message}");
            Console.Error.WriteLine(BenchmarkOptions.Usage);
            return 2;
        }
        catch (HwNasException e)
        {
            Console.Error.WriteLine($"bench: error: {e.Message}");
            return (int)e.ExitCode;
        }
    }

    private static async Task<int> RunAsync(BenchmarkOptions options)
    {
        var settings = options.Quick ? BenchmarkSettings.Quick : BenchmarkSettings.Full;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.Root);
        var sampleYaml = Path.Combine(root, "samples", "fashion-mnist", "hwnas.yaml");
        var toolDll = Path.GetFullPath(options.ToolDll ?? Path.Combine(root, "src", "HwAwareNas.Tool", "bin", "Release", "net10.0", "HwAwareNas.Tool.dll"));
        if (!File.Exists(toolDll))
        {
            throw new ArgumentException($"HwAwareNas.Tool.dll not found at {toolDll}; build src/HwAwareNas.Tool -c Release first or pass --tool.");
        }

        var work = Path.GetFullPath(options.WorkFolder ?? Path.Combine(root, "benchmarks", ".work"));
        var stamp = started.ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture) + (options.Quick ? "-quick" : string.Empty);
        var output = Path.GetFullPath(options.OutputFolder ?? Path.Combine(root, "benchmarks", "results", stamp));
        var loadBefore = MachineFacts.LoadAverage();

        // One derived config (and results store) per accuracy subset: the store is the measured table, reused by later runs.
        var yaml = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"table-{settings.CalibrationImages}-{settings.ValidationImages}"), "hwnas.yaml");
        BenchmarkConfig.Write(sampleYaml, yaml, settings.CalibrationImages, settings.ValidationImages);
        using var sample = LiveSample.Open(yaml);
        var run = new BenchmarkRun(settings, sample, sampleYaml, work, toolDll, root, options);
        Progress.Note($"{settings.Mode} run, suites {string.Join(", ", options.Suites)}; results to {output}; measured table {sample.Store.Path}");
        var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var sections = new List<(string Name, TimeSpan Duration, IReadOnlyList<ResultTable> Tables)>();
        foreach (var suite in options.Suites)
        {
            var suiteClock = Stopwatch.StartNew();
            IReadOnlyList<ResultTable> tables = suite switch
            {
                "search" => await SearchEfficiencySuite.RunAsync(run, cancellation.Token).ConfigureAwait(false),
                "predictors" => await PredictorQualitySuite.RunAsync(run, cancellation.Token).ConfigureAwait(false),
                "selection" => await SelectionLossSuite.RunAsync(run, cancellation.Token).ConfigureAwait(false),
                "cost" => await MeasurementCostSuite.RunAsync(run, cancellation.Token).ConfigureAwait(false),
                "agents" => await AgentThroughputSuite.RunAsync(run, cancellation.Token).ConfigureAwait(false),
                "devices" => await DeviceSetSuite.RunAsync(run, cancellation.Token).ConfigureAwait(false),
                "transfer" => await TransferSuite.RunAsync(run, cancellation.Token).ConfigureAwait(false),
                "validators" => await ValidatorThroughputSuite.RunAsync(run, cancellation.Token).ConfigureAwait(false),
                "ofa" => await OfaSearchSuite.RunAsync(run, cancellation.Token).ConfigureAwait(false),
                _ => throw new ArgumentException($"Unknown suite '{suite}'."),
            };
            sections.Add((suite, suiteClock.Elapsed, tables));
            Progress.Note(string.Create(CultureInfo.InvariantCulture, $"suite {suite} done in {suiteClock.Elapsed.TotalMinutes:F1} min"));
        }

        if (sections.FindIndex(x => x.Name == "ofa") is var ofa and >= 0 && sections.Find(x => x.Name == "search").Tables is { } live)
        {
            var (name, duration, tables) = sections[ofa];
            sections[ofa] = (name, duration, [.. tables, OfaSearchSuite.SideBySide(live, tables)]);
        }

        var facts = new RunFacts(
            settings, started, clock.Elapsed, MachineFacts.Describe(sample.Profiler(1).Fingerprint, root), loadBefore, MachineFacts.LoadAverage(),
            sample.Accuracy.Evaluations, sample.NewLatencyMeasurements, ChildRun.OwnPeakRssBytes());
        ResultsFolder.Write(output, facts, sections);
        if (!options.Quick && options.Suites.SequenceEqual(BenchmarkOptions.DefaultSuites) && LatestRunLink.Update(Path.Combine(root, "benchmarks", "README.md"), output))
        {
            Progress.Note("benchmarks/README.md now links this run");
        }

        Progress.Note(string.Create(CultureInfo.InvariantCulture, $"done in {clock.Elapsed.TotalMinutes:F1} min: {Path.Combine(output, "README.md")}"));
        return 0;
    }
}
