using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using Objective = HwAwareNas.Core.Evaluation.Objective;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Reporting;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Selection;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Torch.Evaluation;
using McMaster.Extensions.CommandLineUtils;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>
/// <c>hwnas optimize</c> end to end: load the super-network, measure and search, verify the front, select one
/// sub-network, and write model.onnx plus the reports atomically into the output folder.
/// </summary>
internal sealed class OptimizePipeline(IConsole console)
{
    /// <summary>The outputs an earlier run may have left that this run replaces or removes.</summary>
    private static readonly string[] OwnedOutputs = ["model.onnx", "inference_settings.json"];

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    /// <summary>What the last run did (for tests and the command's summary line).</summary>
    public OptimizeRunFacts? LastRun { get; private set; }

    /// <summary>Runs the pipeline; returns the exit code (0, or 4 when nothing meets the constraints).</summary>
    public async Task<ExitCode> RunAsync(OptimizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = DateTimeOffset.UtcNow;
        var stages = new List<StageTiming> { new("Train", TimeSpan.Zero, Resumed: true) };
        var config = ApplyOverrides(HwNasConfigLoader.Load(request.ConfigPath, new ConfigLoadOptions { DeviceProfile = request.Device }), request);
        var outputDir = request.OutputDir ?? config.Output.Dir;
        var progress = new ProgressPrinter(console, inPlace: !console.IsOutputRedirected && !request.MsBuildLog);

        // Missing inputs are reported before anything is created or written.
        SupernetSession.RequireCheckpoint(config);
        var clock = Stopwatch.StartNew();
        using var session = SupernetSession.Load(config);
        using var store = ResultsStore.Open(ResultsStore.DefaultPath(config.SourcePath));
        var onnx = new SubnetOnnx(session.Family, session.Network, session.Data, session.Preprocessing);
        var accuracy = new SupernetAccuracyEvaluator(
            new SubnetAccuracy(session.Network, session.Data), session.Family, new StoreAccuracyCache(store), session.CheckpointHash, session.Data.Key);
        var references = ReferenceGenomes(session.Family, config.Search.Seed, config.Device.Measure.ReferenceModels)
            .Select(g => LiveEvaluator.RequestFor(onnx, g))
            .ToList();
        var profiler = new OrtLatencyProfiler(config.Device, config.Supernet.Input, new LatencyProfilerOptions(config.Device.Measure, references), store);
        store.SaveDevice(profiler.Fingerprint);
        var live = new LiveEvaluator(onnx, accuracy, profiler);
        stages.Add(new StageTiming("Profile", clock.Elapsed, Resumed: false));

        var constraints = ConstraintsOf(config.Constraints);
        var studyPrefix = StableHash.OfText($"{session.Family.Family}|{session.Family.SettingsText}|{session.CheckpointHash}");
        var settingsJson = SearchSettingsJson(config.Search, profiler.Fingerprint.Key);
        var storage = StoreStudyStorage.Open(store, session.Family, $"{studyPrefix}-{StableHash.OfText(settingsJson)}", settingsJson);
        var warmStart = WarmStartPopulation(config.Search, store, session.Family, studyPrefix, storage.Study.Id);
        var strategy = StrategyFactory.Create(config.Search, session.Family, warmStart);
        progress.Stage(string.Create(
            CultureInfo.InvariantCulture,
            $"search {strategy.Name}: {config.Search.Validations} validations, study {storage.Study.Name}{(storage.ResumedTrials > 0 ? $" resumed with {storage.ResumedTrials} trials" : string.Empty)}"));

        clock.Restart();
        var context = new SearchContext(session.Family, live, constraints, storage, config.Search.Seed, progress);
        var (outcome, stopReason) = await SearchWithinBudgetAsync(strategy, context, config.Search.MaxTime, cancellationToken).ConfigureAwait(false);
        progress.EndLine();
        stages.Add(new StageTiming("Search", clock.Elapsed, Resumed: storage.ResumedTrials > 0));

        clock.Restart();
        var verification = await FrontVerification.VerifyAsync(
            [.. outcome.Front.Members.Select(c => c.Genome)], live, constraints, cancellationToken).ConfigureAwait(false);
        stages.Add(new StageTiming("Verify", clock.Elapsed, Resumed: false));

        var measured = context.MeasuredTrials();
        clock.Restart();
        var quality = PredictorQualityReport.Measure(session.Family, config.Search.Predictors, measured, verification.Verified.Members);
        stages.Add(new StageTiming("Fit", clock.Elapsed, Resumed: false));

        var policy = SelectionPolicyOf(config.Output.Select, config.Constraints, constraints);
        var limits = new PlanLimits(session.Family, config.Constraints);
        var selection = policy.Choose(live.Objectives, [.. verification.Verified.Members.Where(limits.Allows)]);
        if (!selection.IsFeasible)
        {
            // Nearest candidates come from everything measured, so the report shows how far off the best tries were.
            selection = policy.Choose(live.Objectives, measured);
        }

        using var output = new OutputFolder(outputDir);
        clock.Restart();
        var facts = new CandidateFacts(session.Family, live);
        if (selection.Chosen is { } chosen)
        {
            WriteModels(output.Staging, onnx, chosen, live, profiler.Fingerprint, config, verification.Verified.Members);
        }

        stages.Add(new StageTiming("Export", clock.Elapsed, Resumed: false));

        clock.Restart();
        var summary = new RunSummaryFactory(config, session.Family, profiler.Fingerprint, facts).Create(
            started,
            strategy.Name,
            measured,
            outcome,
            verification,
            quality,
            selection,
            new SearchBudget(measured.Count, config.Search.Validations, DateTimeOffset.UtcNow - started, config.Search.MaxTime, stopReason),
            [.. stages, new StageTiming("Report", TimeSpan.Zero, Resumed: false)]);
        ReportWriter.CreateDefault().Write(summary, output.Staging);
        var written = output.Commit(OwnedOutputs);
        LastRun = new OptimizeRunFacts(live.NewMeasurements, storage.ResumedTrials, measured.Count, selection.Chosen?.Genome, written);

        console.Out.WriteLine(selection.Chosen is { } selected
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"hwnas: selected {session.Family.ToOfaNotation(selected.Genome)}: accuracy {selected.Values[0]:P2}, latency {selected.Values[1]:0.###} ms; wrote {Path.Combine(output.Target, "model.onnx")}")
            : $"hwnas: no sub-network meets the constraints ({string.Join(", ", constraints)}); {selection.Describe()} Report: {Path.Combine(output.Target, "report.html")}");
        return selection.IsFeasible ? ExitCode.Success : ExitCode.NoFeasibleModel;
    }

    private static HwNasConfig ApplyOverrides(HwNasConfig config, OptimizeRequest request)
    {
        if (request.Validations is < 1)
        {
            throw new HwNasException("--validations must be at least 1.", ExitCode.BadConfig);
        }

        var search = config.Search with
        {
            Validations = request.Validations ?? config.Search.Validations,
            MaxTime = request.MaxTime ?? config.Search.MaxTime,
        };
        return config with { Search = search };
    }

    // Smallest, largest and one seeded random sub-network span the space's latency range for drift checks.
    private static IEnumerable<Genome> ReferenceGenomes(ISearchSpace space, int seed, int count) =>
        new[] { space.Smallest(), space.Largest(), space.Sample(new Random(seed)) }.Take(Math.Max(0, count));

    internal static List<Constraint> ConstraintsOf(ConstraintsOptions options)
    {
        var constraints = new List<Constraint>();
        if (options.LatencyMs is { } latency)
        {
            constraints.Add(Constraint.AtMost(Objective.Latency.Name, latency));
        }

        if (options.MinAccuracy is { } floor)
        {
            constraints.Add(Constraint.AtLeast(Objective.Accuracy.Name, floor));
        }

        return constraints;
    }

    private static ISelectionPolicy SelectionPolicyOf(SelectionPolicy select, ConstraintsOptions options, IReadOnlyList<Constraint> constraints) =>
        select switch
        {
            SelectionPolicy.MaxAccuracy => BestObjectivePolicy.MaxAccuracy(constraints),
            SelectionPolicy.MinLatency => BestObjectivePolicy.MinLatency(options.MinAccuracy ?? 0, constraints),
            _ => new KneePolicy(constraints),
        };

    private static string SearchSettingsJson(SearchOptions search, string fingerprintKey) => JsonSerializer.Serialize(new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["device"] = fingerprintKey,
        ["strategy"] = search.Strategy.ToString(),
        ["seed"] = search.Seed.ToString(CultureInfo.InvariantCulture),
        ["population"] = search.Population.ToString(CultureInfo.InvariantCulture),
        ["validations"] = search.Validations.ToString(CultureInfo.InvariantCulture),
        ["inner_generations"] = search.InnerGenerations.ToString(CultureInfo.InvariantCulture),
        ["crossover"] = search.Crossover.ToString(CultureInfo.InvariantCulture),
        ["mutation"] = search.Mutation.ToString(CultureInfo.InvariantCulture),
        ["predictors"] = $"{search.Predictors.Latency}/{search.Predictors.Accuracy}",
    });

    private static IReadOnlyList<Genome>? WarmStartPopulation(SearchOptions search, ResultsStore store, ISearchSpace space, string studyPrefix, long studyId)
    {
        if (search.Strategy != SearchStrategy.WarmStart)
        {
            return null;
        }

        return search.WarmStart switch
        {
            WarmStartMode.Auto => StoreStudyStorage.BestEarlierPopulation(store, space, studyPrefix, studyId),
            WarmStartMode.FromFile => WarmStartFile.Read(space, search.WarmStartPath!),
            _ => null,
        };
    }

    private static async Task<(SearchOutcome Outcome, string StopReason)> SearchWithinBudgetAsync(
        ISearchStrategy strategy, SearchContext context, TimeSpan? maxTime, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (maxTime is { } limit)
        {
            budget.CancelAfter(limit);
        }

        try
        {
            var outcome = await strategy.RunAsync(context, budget.Token).ConfigureAwait(false);
            return (outcome, "validation budget used");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wall-time budget ran out: what was measured so far is in the study and still counts.
            var measured = context.MeasuredTrials();
            return (new SearchOutcome(strategy.Name, ParetoFront.Of(context.Objectives, measured), measured, []), "wall time");
        }
    }

    private static void WriteModels(
        string folder, SubnetOnnx onnx, EvaluatedCandidate chosen, LiveEvaluator live, DeviceFingerprint fingerprint, HwNasConfig config,
        IReadOnlyList<EvaluatedCandidate> front)
    {
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), onnx.Export(chosen.Genome, recalibrate: true, ModelMetadata(chosen, live, fingerprint)));
        var device = config.Device;
        var settings = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["provider"] = device.Provider.ToString().ToLowerInvariant(),
            ["intra_op_threads"] = device.IntraOpThreads,
            ["inter_op_threads"] = device.InterOpThreads,
            ["graph_optimization_level"] = device.GraphOptimization.ToString().ToLowerInvariant(),
            ["batch"] = device.Batch,
        };
        File.WriteAllText(
            Path.Combine(folder, "inference_settings.json"), JsonSerializer.Serialize(settings, IndentedJson));
        if (!config.Output.ExportFront)
        {
            return;
        }

        var frontFolder = Path.Combine(folder, "front");
        Directory.CreateDirectory(frontFolder);
        foreach (var member in front)
        {
            File.WriteAllBytes(
                Path.Combine(frontFolder, $"{member.Genome.Key}.onnx"), onnx.Export(member.Genome, recalibrate: true, ModelMetadata(member, live, fingerprint)));
        }
    }

    private static Dictionary<string, string> ModelMetadata(EvaluatedCandidate candidate, LiveEvaluator live, DeviceFingerprint fingerprint)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hwnas.accuracy"] = candidate.Values[0].ToString("R", CultureInfo.InvariantCulture),
            ["hwnas.latency_ms"] = candidate.Values[1].ToString("R", CultureInfo.InvariantCulture),
            ["hwnas.device_fingerprint"] = fingerprint.Key,
            ["hwnas.device"] = fingerprint.CanonicalText,
        };
        if (live.MeasurementOf(candidate.Genome)?.Record.Statistics is { } s)
        {
            metadata["hwnas.latency_median_ms"] = s.Median.ToString("R", CultureInfo.InvariantCulture);
            metadata["hwnas.latency_p90_ms"] = s.P90.ToString("R", CultureInfo.InvariantCulture);
            metadata["hwnas.latency_stdev_ms"] = s.StandardDeviation.ToString("R", CultureInfo.InvariantCulture);
            metadata["hwnas.latency_runs"] = s.Count.ToString(CultureInfo.InvariantCulture);
        }

        return metadata;
    }
}

/// <summary>What one optimize run did.</summary>
/// <param name="NewMeasurements">Latency measurements taken (not read from the store).</param>
/// <param name="ResumedTrials">Trials the study already held.</param>
/// <param name="Trials">Trials the study holds now.</param>
/// <param name="Selected">The selected genome, or null when none was feasible.</param>
/// <param name="Written">The output files moved into place.</param>
internal sealed record OptimizeRunFacts(int NewMeasurements, int ResumedTrials, int Trials, Genome? Selected, IReadOnlyList<string> Written);

/// <summary>How much of the search budgets was used and why it stopped.</summary>
internal sealed record SearchBudget(int ValidationsUsed, int ValidationBudget, TimeSpan WallTime, TimeSpan? WallTimeLimit, string StopReason);
