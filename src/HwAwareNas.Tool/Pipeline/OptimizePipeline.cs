using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
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
        var clock = new StageClock();
        var config = ApplyOverrides(HwNasConfigLoader.Load(request.ConfigPath, new ConfigLoadOptions { DeviceProfile = request.Device }), request);
        var outputDir = request.OutputDir ?? config.Output.Dir;
        var progress = new ProgressPrinter(console, inPlace: !console.IsOutputRedirected && !request.MsBuildLog);

        // Missing inputs and a missing execution provider are reported before anything is loaded, created or written.
        ProviderCheck.Require(config);
        SupernetSession.RequireCheckpoint(config);
        using var store = ResultsStore.Open(ResultsStore.DefaultPath(config.SourcePath));
        using var session = clock.Measure(PipelineStages.Train, () => SupernetSession.Load(config, store));
        progress.Stage(session.NumericCheck.Summary);

        // The session reads its data on first use; a search needs it, so a missing dataset stops here, before anything is written.
        clock.Measure(PipelineStages.Train, () => session.Data);

        // An output folder that cannot be written is found now, not after the search; opening it also removes the
        // temporary folders of earlier runs that were killed while writing.
        using var output = OutputFolder.Open(outputDir);
        var setup = clock.Enter(PipelineStages.Profile);
        var onnx = new SubnetOnnx(session.Family, session.Network, () => session.Data, session.Preprocessing);
        await using var accuracy = await AccuracyValidation.OpenAsync(config, session, store, progress.Stage, cancellationToken).ConfigureAwait(false);
        var references = ReferenceGenomes(session.Family, config.Search.Seed, config.Device.Measure.ReferenceModels)
            .Select(g => LiveEvaluator.RequestFor(onnx, g))
            .ToList();
        var profiler = await DeviceProfilers.OpenAsync(
            config, new LatencyProfilerOptions(config.Device.Measure, references), store, progress.Stage, cancellationToken).ConfigureAwait(false);
        await using var remote = profiler as IAsyncDisposable;
        store.SaveDevice(profiler.Fingerprint);
        var objectives = StructuralCosts.SearchObjectives(config.Objectives);
        progress.Objectives = objectives;
        var live = new LiveEvaluator(onnx, accuracy, profiler, objectives);

        // The study is keyed by the settings as configured. A relative budget is resolved once per study, against the
        // largest sub-network measured like every other, and kept in the study: a later run resumes under the same bound
        // even when the largest sub-network has been re-measured since (e.g. as a drift reference).
        var limits = new PlanLimits(session.Family, config.Constraints);
        var studyPrefix = StableHash.OfText($"{session.Family.Family}|{session.Family.SettingsText}|{session.CheckpointHash}");
        var settingsJson = SearchSettingsJson(config.Search, objectives, ConstraintsKey(config.Constraints, limits, objectives), profiler.Fingerprint.Key);
        var studyName = $"{studyPrefix}-{StableHash.OfText(settingsJson)}";
        double? largestLatency = config.Constraints.LatencyFraction is null
            ? null
            : LargestLatencyOf(store.TryGetStudy(studyName))
                ?? LiveEvaluator.LatencyMsOf((await live.EvaluateAsync([session.Family.Largest()], cancellationToken).ConfigureAwait(false))[0]);
        setup.Dispose();

        var constraints = ConstraintsOf(config.Constraints, limits, objectives, largestLatency);
        var storage = StoreStudyStorage.Open(store, session.Family, studyName, WithLargestLatency(settingsJson, largestLatency));
        var warmStart = WarmStartPopulation(config.Search, store, session.Family, studyPrefix, storage.Study.Id);
        var builtLatency = BuiltLatencyPredictor.TryLoad(store, profiler.Fingerprint.Key, session.Family, config.Search.Strategy);
        var strategy = StrategyFactory.Create(config.Search, session.Family, warmStart, clock, builtLatency);
        if (builtLatency is not null)
        {
            progress.Stage(builtLatency.Describe());
        }

        progress.Stage(string.Create(
            CultureInfo.InvariantCulture,
            $"search {strategy.Name}: {string.Join(", ", objectives.Select(o => o.Name))}; {config.Search.Validations} validations{BudgetText(config.Search)}, study {storage.Study.Name}{(storage.ResumedTrials > 0 ? $" resumed with {storage.ResumedTrials} trials" : string.Empty)}"));

        var searchEvaluator = new TimedEvaluator(live, clock, PipelineStages.Profile);
        var context = new SearchContext(session.Family, searchEvaluator, constraints, storage, config.Search.Seed, progress);
        var budgets = new SearchBudgets(config.Search.MaxTime, config.Search.StopWhenMet, limits.Allows);
        var measuredBefore = live.NewMeasurements;
        var search = await clock.MeasureAsync(
            PipelineStages.Search, () => BudgetedSearch.RunAsync(strategy, context, budgets, cancellationToken)).ConfigureAwait(false);
        var searchMeasurements = live.NewMeasurements - measuredBefore;
        progress.EndLine();
        progress.Stage(string.Create(
            CultureInfo.InvariantCulture, $"search ended after {storage.Trials.Count} validations: {RunSummaryFactory.StopReasonText(search.StopReason)}"));

        // The stages after the search take a while too (tens of seconds on a large front): each says what it does and
        // each stops at the next step once cancelled, so Ctrl+C is answered at once there as well.
        progress.Stage(string.Create(CultureInfo.InvariantCulture, $"verifying the {search.Outcome.Front.Members.Count} members of the front by live measurement"));
        measuredBefore = live.NewMeasurements;
        var verification = await clock.MeasureAsync(PipelineStages.Verify, () => FrontVerification.VerifyAsync(
            [.. search.Outcome.Front.Members.Select(c => c.Genome)], live, constraints, cancellationToken)).ConfigureAwait(false);
        var verifyMeasurements = live.NewMeasurements - measuredBefore;

        var measured = context.MeasuredTrials();
        var searchFits = clock.Entries(PipelineStages.Fit);
        progress.Stage(string.Create(CultureInfo.InvariantCulture, $"cross-validating the predictors on {measured.Count} measured sub-networks for the report"));
        var quality = clock.Measure(
            PipelineStages.Fit, () => PredictorQualityReport.Measure(session.Family, builtLatency?.Apply(config.Search.Predictors) ?? config.Search.Predictors, measured, config.Search.Seed, cancellationToken));

        var policy = SelectionPolicyOf(config.Output.Select, config.Constraints, constraints);
        var confirmationProfiler = config.Output.Confirm == 0
            ? null
            : await DeviceProfilers.OpenAsync(
                config, new LatencyProfilerOptions(config.Device.Measure, [], Metric: LatencyProfilerOptions.ConfirmationMetric), store, progress.Stage, cancellationToken)
                .ConfigureAwait(false);
        await using var remoteConfirmation = confirmationProfiler as IAsyncDisposable;

        // Confirmations are stored under their own metric, so a later run reuses them and they never replace the search's.
        var confirmation = confirmationProfiler is null ? null : new LiveEvaluator(onnx, accuracy, confirmationProfiler, objectives);
        measuredBefore = confirmation?.NewMeasurements ?? 0;
        var confirmed = await clock.MeasureAsync(PipelineStages.Verify, () => FinalSelection.SelectAsync(
            policy, confirmation, config.Output.Confirm, objectives, verification.Verified.Members, measured, limits.Misses, cancellationToken)).ConfigureAwait(false);
        var selection = confirmed.Selection;
        var confirmMeasurements = (confirmation?.NewMeasurements ?? 0) - measuredBefore;

        progress.Stage("writing the model and the reports");
        var facts = new CandidateFacts(session.Family, live);
        var exported = clock.Measure(PipelineStages.Export, () => selection.Chosen is { } chosen
            ? WriteModels(output.Staging, onnx, chosen, live, profiler.Fingerprint, config, verification.Verified.Members, cancellationToken)
            : 0);

        cancellationToken.ThrowIfCancellationRequested();
        var report = clock.Enter(PipelineStages.Report);
        var summary = new RunSummaryFactory(config, session.Family, profiler.Fingerprint, facts, largestLatency) { NumericCheck = session.NumericCheck, RemoteDevice = RunSummaryFactory.RemoteDeviceSettings(profiler, live) }.Create(
            clock.StartedAt, clock.Now, strategy.Name, objectives, measured, search, verification, quality, confirmed, []);
        report.Dispose();
        var stages = RunSummaryFactory.StageTimings(clock, new StageFacts(
            Path.GetFileName(config.Supernet.Checkpoint),
            searchEvaluator.Evaluated,
            searchMeasurements,
            searchFits,
            quality.Count,
            strategy.Name,
            summary.Search.StopReason,
            storage.ResumedTrials,
            verification.Remeasured.Count,
            verifyMeasurements,
            confirmed.Confirmations.Count,
            confirmMeasurements,
            exported));
        summary = summary with { Stages = stages, FinishedAt = clock.Now, BuiltPredictor = builtLatency?.Summary };
        var writing = Stopwatch.StartNew();
        ReportWriter.CreateDefault().Write(summary, output.Staging, cancellationToken);

        // Past this point the outputs are replaced as a whole; a cancellation now would only leave the old ones.
        cancellationToken.ThrowIfCancellationRequested();
        var written = output.Commit(OwnedOutputs);
        writing.Stop();
        LastRun = new OptimizeRunFacts(live.NewMeasurements + (confirmation?.NewMeasurements ?? 0), storage.ResumedTrials, measured.Count, selection.Chosen?.Genome, written);

        progress.Stage("stages: " + string.Join(", ", stages.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Stage} {t.Duration.TotalSeconds:0.0} s")))
            + string.Create(CultureInfo.InvariantCulture, $"; report files rendered and written in {writing.Elapsed.TotalSeconds:0.0} s"));
        console.Out.WriteLine(selection.Chosen is { } selected
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"hwnas: selected {session.Family.ToOfaNotation(selected.Genome)}: accuracy {LiveEvaluator.AccuracyOf(selected):P2}, latency {LiveEvaluator.LatencyMsOf(selected):0.###} ms; wrote {Path.Combine(output.Target, "model.onnx")}")
            : $"hwnas: no sub-network meets the constraints ({string.Join(", ", [.. constraints, .. limits.Constraints.Except(constraints)])}){NoneCanMeetText(search.StopReason)}; {selection.Describe(session.Family.ToOfaNotation)} Report: {Path.Combine(output.Target, "report.html")}");
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
            StopWhenMet = request.StopWhenMet || config.Search.StopWhenMet,
        };
        return config with { Search = search };
    }

    // Smallest, largest and one seeded random sub-network span the space's latency range for drift checks.
    private static IEnumerable<Genome> ReferenceGenomes(ISearchSpace space, int seed, int count) =>
        new[] { space.Smallest(), space.Largest(), space.Sample(new Random(seed)) }.Take(Math.Max(0, count));

    // Plan limits on quantities the search optimises are hard constraints inside the search too; the others can only
    // filter at selection, since the search's candidates carry no value for them.
    internal static List<Constraint> ConstraintsOf(
        ConstraintsOptions options, PlanLimits limits, IReadOnlyList<Objective> objectives, double? largestLatencyMs = null)
    {
        var constraints = new List<Constraint>();
        if (options.EffectiveLatencyMs(largestLatencyMs) is { } latency)
        {
            constraints.Add(Constraint.AtMost(Objective.Latency.Name, latency));
        }

        if (options.MinAccuracy is { } floor)
        {
            constraints.Add(Constraint.AtLeast(Objective.Accuracy.Name, floor));
        }

        constraints.AddRange(limits.Constraints.Where(c => objectives.Any(o => o.Name == c.ObjectiveName)));
        return constraints;
    }

    /// <summary>
    /// The constraints as configured, for the study's key: the bound <c>latency_fraction</c> gives depends on a
    /// measurement, so the key holds the fraction (and any <c>latency_ms</c> cap and margin) instead. Other constraints
    /// are written as they always were, so existing studies keep their names.
    /// </summary>
    internal static string ConstraintsKey(ConstraintsOptions options, PlanLimits limits, IReadOnlyList<Objective> objectives)
    {
        static string Key(Constraint c) => string.Create(
            CultureInfo.InvariantCulture, $"{c.ObjectiveName} {(c.Comparison == ConstraintComparison.AtMost ? "<=" : ">=")} {c.Bound:R}");
        if (options.LatencyFraction is not { } fraction)
        {
            return string.Join("; ", ConstraintsOf(options, limits, objectives).Select(Key));
        }

        var latency = string.Create(
            CultureInfo.InvariantCulture,
            $"latency <= {fraction:R} x largest{(options.LatencyMs is { } cap ? $", <= {cap:R}" : string.Empty)}, margin {options.LatencyMargin:R}");
        var others = ConstraintsOf(options with { LatencyFraction = null, LatencyMs = null }, limits, objectives).Select(Key);
        return string.Join("; ", [latency, .. others]);
    }

    // The largest sub-network's latency a study was created with, which its relative latency budget is resolved against.
    private const string LargestLatencySetting = "largest_latency_ms";

    private static double? LargestLatencyOf(StudyRecord? study)
    {
        if (study is null)
        {
            return null;
        }

        var settings = JsonSerializer.Deserialize<Dictionary<string, string>>(study.SettingsJson);
        return settings is not null && settings.TryGetValue(LargestLatencySetting, out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    // The stored settings are the key's plus the resolved largest latency, which is not part of the study's name.
    private static string WithLargestLatency(string settingsJson, double? largestLatencyMs)
    {
        if (largestLatencyMs is not { } largest)
        {
            return settingsJson;
        }

        var settings = JsonSerializer.Deserialize<SortedDictionary<string, string>>(settingsJson)!;
        settings[LargestLatencySetting] = largest.ToString("R", CultureInfo.InvariantCulture);
        return JsonSerializer.Serialize(settings);
    }

    private static string NoneCanMeetText(SearchStopReason reason) => reason == SearchStopReason.NoneCanMeet
        ? string.Create(CultureInfo.InvariantCulture, $"; the search stopped early: the smallest sub-network is more than {BudgetedSearch.HopelessFactor:0.#}× over an upper bound")
        : string.Empty;

    private static string BudgetText(SearchOptions search) =>
        (search.MaxTime is { } limit ? string.Create(CultureInfo.InvariantCulture, $", at most {limit.TotalSeconds:0} s") : string.Empty)
        + (search.StopWhenMet ? ", stopping once the constraints are met" : string.Empty);

    private static ISelectionPolicy SelectionPolicyOf(SelectionRule select, ConstraintsOptions options, IReadOnlyList<Constraint> constraints) =>
        select switch
        {
            SelectionRule.MaxAccuracy => BestObjectivePolicy.MaxAccuracy(constraints),
            SelectionRule.MinLatency => BestObjectivePolicy.MinLatency(options.MinAccuracy ?? 0, constraints),
            _ => new KneePolicy(constraints),
        };

    // Budgets that only end a search early (max_time, stop_when_met) are not settings: a later run continues the study.
    // Constraints are, since the search steers by them; a study under other constraints still reuses every stored measurement.
    private static string SearchSettingsJson(
        SearchOptions search, IReadOnlyList<Objective> objectives, string constraintsKey, string fingerprintKey)
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["device"] = fingerprintKey,
            ["constraints"] = constraintsKey,
            ["objectives"] = string.Join(",", objectives.Select(o => o.Name)),
            ["strategy"] = search.Strategy.ToString(),
            ["seed"] = search.Seed.ToString(CultureInfo.InvariantCulture),
            ["population"] = search.Population.ToString(CultureInfo.InvariantCulture),
            ["validations"] = search.Validations.ToString(CultureInfo.InvariantCulture),
            ["inner_generations"] = search.InnerGenerations.ToString(CultureInfo.InvariantCulture),
            ["crossover"] = search.Crossover.ToString(CultureInfo.InvariantCulture),
            ["mutation"] = search.Mutation.ToString(CultureInfo.InvariantCulture),
            ["predictors"] = $"{search.Predictors.Latency}/{search.Predictors.Accuracy}",
        };
        return JsonSerializer.Serialize(settings);
    }

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

    /// <summary>Writes model.onnx, inference_settings.json and (when asked) the front's models; returns the models written.</summary>
    private static int WriteModels(
        string folder, SubnetOnnx onnx, EvaluatedCandidate chosen, LiveEvaluator live, DeviceFingerprint fingerprint, HwNasConfig config,
        IReadOnlyList<EvaluatedCandidate> front, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
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
            return 1;
        }

        var frontFolder = Path.Combine(folder, "front");
        Directory.CreateDirectory(frontFolder);
        foreach (var member in front)
        {
            cancellationToken.ThrowIfCancellationRequested();
            File.WriteAllBytes(
                Path.Combine(frontFolder, $"{member.Genome.Key}.onnx"), onnx.Export(member.Genome, recalibrate: true, ModelMetadata(member, live, fingerprint)));
        }

        return 1 + front.Count;
    }

    private static Dictionary<string, string> ModelMetadata(EvaluatedCandidate candidate, LiveEvaluator live, DeviceFingerprint fingerprint)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hwnas.accuracy"] = LiveEvaluator.AccuracyOf(candidate).ToString("R", CultureInfo.InvariantCulture),
            ["hwnas.latency_ms"] = LiveEvaluator.LatencyMsOf(candidate).ToString("R", CultureInfo.InvariantCulture),
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
