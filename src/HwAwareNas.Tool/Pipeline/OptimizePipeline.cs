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

    /// <summary>Runs the pipeline; returns the exit code (0, or 4 when nothing meets the constraints on some device).</summary>
    public async Task<ExitCode> RunAsync(OptimizeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = new StageClock();
        var devices = LoadDevices(request);
        var config = devices[0].Config;
        var named = devices[0].Name is not null;
        var outputDir = request.OutputDir ?? config.Output.Dir;
        var progress = new ProgressPrinter(console, inPlace: !console.IsOutputRedirected && !request.MsBuildLog);

        // Missing inputs and a missing execution provider are reported before anything is loaded, created or written.
        foreach (var device in devices)
        {
            ProviderCheck.Require(device.Config);
        }

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
        await using var validation = await AccuracyValidation.OpenAsync(config, session, store, progress.Stage, cancellationToken).ConfigureAwait(false);
        using var accuracy = new SharedAccuracy(validation, session.Family);
        var objectives = StructuralCosts.SearchObjectives(config.Objectives);
        progress.Objectives = objectives;
        var targets = new List<DeviceTarget>();
        try
        {
            foreach (var (name, deviceConfig) in devices)
            {
                var references = ReferenceGenomes(session.Family, config.Search.Seed, deviceConfig.Device.Measure.ReferenceModels)
                    .Select(g => LiveEvaluator.RequestFor(onnx, g))
                    .ToList();
                var notice = name is null ? progress.Stage : (Action<string>)(line => progress.Stage($"{name}: {line}"));
                var profiler = await DeviceProfilers.OpenAsync(
                    deviceConfig, new LatencyProfilerOptions(deviceConfig.Device.Measure, references), store, notice, cancellationToken).ConfigureAwait(false);
                targets.Add(new DeviceTarget(name, deviceConfig, profiler, new LiveEvaluator(onnx, accuracy, profiler, objectives)));
                store.SaveDevice(profiler.Fingerprint);
            }

            return await RunAsync(clock, progress, store, session, output, onnx, validation, accuracy, objectives, targets, named, setup, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            foreach (var remote in targets.Select(t => t.Profiler).OfType<IAsyncDisposable>())
            {
                await remote.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // The run once its devices are open: search, then each device's verification, selection and outputs.
    private async Task<ExitCode> RunAsync(
        StageClock clock,
        ProgressPrinter progress,
        ResultsStore store,
        SupernetSession session,
        OutputFolder output,
        SubnetOnnx onnx,
        AccuracyValidation validation,
        SharedAccuracy accuracy,
        IReadOnlyList<Objective> objectives,
        List<DeviceTarget> targets,
        bool named,
        IDisposable setup,
        CancellationToken cancellationToken)
    {
        var config = targets[0].Config;
        var family = session.Family;

        // The study is keyed by the settings as configured. A relative budget is resolved once per study and device,
        // against the largest sub-network measured like every other, and kept in the study: a later run resumes under
        // the same bound even when the largest sub-network has been re-measured since (e.g. as a drift reference).
        var limits = new PlanLimits(family, config.Constraints);
        var studyPrefix = StableHash.OfText($"{family.Family}|{family.SettingsText}|{session.CheckpointHash}");
        var deviceKey = named
            ? string.Join("; ", targets.Select(t => $"{t.Name}={t.Profiler.Fingerprint.Key}"))
            : targets[0].Profiler.Fingerprint.Key;
        var settingsJson = SearchSettingsJson(config.Search, objectives, ConstraintsKey(config.Constraints, limits, objectives), deviceKey);
        var studyName = $"{studyPrefix}-{StableHash.OfText(settingsJson)}";
        var earlier = store.TryGetStudy(studyName);
        foreach (var target in targets)
        {
            target.LargestLatencyMs = config.Constraints.LatencyFraction is null
                ? null
                : LargestLatencyOf(earlier, target.Name)
                    ?? LiveEvaluator.LatencyMsOf((await target.Live.EvaluateAsync([family.Largest()], cancellationToken).ConfigureAwait(false))[0]);
            target.Constraints = ConstraintsOf(target.Config.Constraints, limits, objectives, target.LargestLatencyMs);
        }

        setup.Dispose();

        // One search for every device: accuracy, then each device's latency as objectives. A sub-network needs to meet
        // the latency budget of one device only, so the devices' bounds are alternatives inside the search; each device
        // then selects from the measured trials under its own constraints.
        var deviceSet = named ? new DeviceSetEvaluator(targets, accuracy) : null;
        IEvaluator searchLive = deviceSet ?? (IEvaluator)targets[0].Live;
        var constraints = deviceSet is null ? targets[0].Constraints : SearchConstraints(targets);
        var storage = StoreStudyStorage.Open(store, family, studyName, WithLargestLatency(settingsJson, targets));
        var warmStart = WarmStartPopulation(config.Search, store, family, studyPrefix, storage.Study.Id);
        var built = targets
            .Select(t => (t.LatencyObjective.Name, Built: BuiltLatencyPredictor.TryLoad(store, t.Profiler.Fingerprint.Key, family, config.Search.Strategy)))
            .Where(b => b.Built is not null)
            .ToDictionary(b => b.Name, b => b.Built!, StringComparer.Ordinal);
        var strategy = StrategyFactory.Create(config.Search, family, warmStart, clock, built);
        foreach (var target in targets.Where(t => built.ContainsKey(t.LatencyObjective.Name)))
        {
            progress.Stage(target.Line(built[target.LatencyObjective.Name].Describe()));
        }

        progress.Objectives = searchLive.Objectives;
        progress.Stage(string.Create(
            CultureInfo.InvariantCulture,
            $"search {strategy.Name}: {string.Join(", ", searchLive.Objectives.Select(o => o.Name))}; {config.Search.Validations} validations{BudgetText(config.Search)}, study {storage.Study.Name}{(storage.ResumedTrials > 0 ? $" resumed with {storage.ResumedTrials} trials" : string.Empty)}"));

        var searchEvaluator = new TimedEvaluator(searchLive, clock, PipelineStages.Profile);
        var context = new SearchContext(family, searchEvaluator, constraints, storage, config.Search.Seed, progress);
        var budgets = new SearchBudgets(config.Search.MaxTime, config.Search.StopWhenMet, limits.Allows);
        var measuredBefore = targets.Select(t => t.Live.NewMeasurements).ToList();
        var search = await clock.MeasureAsync(
            PipelineStages.Search, () => BudgetedSearch.RunAsync(strategy, context, budgets, cancellationToken)).ConfigureAwait(false);
        progress.EndLine();
        progress.Objectives = objectives;
        progress.Stage(string.Create(
            CultureInfo.InvariantCulture, $"search ended after {storage.Trials.Count} validations: {RunSummaryFactory.StopReasonText(search.StopReason)}"));

        var searchFits = clock.Entries(PipelineStages.Fit);
        var searchValidations = validation.Evaluations;
        var outcomes = new List<DeviceOutcome>();
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var measured = deviceSet is null
                ? context.MeasuredTrials()
                : [.. context.MeasuredTrials().Select(c => deviceSet.ForDevice(c, i).WithConstraints(objectives, target.Constraints))];
            var deviceSearch = deviceSet is null ? search : ForDevice(search, measured, c => deviceSet.ForDevice(c, i), objectives, target.Constraints, limits);
            var facts = new StageFacts(
                Path.GetFileName(config.Supernet.Checkpoint),
                searchEvaluator.Evaluated,
                target.Live.NewMeasurements - measuredBefore[i],
                searchFits,
                0,
                strategy.Name,
                string.Empty,
                storage.ResumedTrials,
                0,
                0,
                0,
                0,
                0);
            var folder = target.Name is null ? output.Staging : Directory.CreateDirectory(Path.Combine(output.Staging, target.Name)).FullName;
            outcomes.Add(await FinishDeviceAsync(
                target, progress, clock, store, session, onnx, accuracy, objectives, limits, strategy.Name, built.GetValueOrDefault(target.LatencyObjective.Name), deviceSearch, measured, facts, folder, cancellationToken)
                .ConfigureAwait(false));
        }

        // Past this point the outputs are replaced as a whole; a cancellation now would only leave the old ones.
        cancellationToken.ThrowIfCancellationRequested();
        var baselineValidations = validation.Evaluations - searchValidations;
        var writing = Stopwatch.StartNew();
        if (named)
        {
            DeviceComparisonWriter.Write(
                Comparison(clock, strategy.Name, storage.Trials.Count, searchValidations, baselineValidations, targets, outcomes), output.Staging);
        }

        var written = output.Commit(targets.SelectMany(t => OwnedOutputs.Select(o => t.Name is null ? o : Path.Combine(t.Name, o))));
        writing.Stop();
        LastRun = new OptimizeRunFacts(
            targets.Sum(t => t.Live.NewMeasurements) + outcomes.Sum(o => o.ConfirmMeasurements),
            storage.ResumedTrials,
            storage.Trials.Count,
            outcomes[0].Selection.Chosen?.Genome,
            written)
        {
            AccuracyValidations = searchValidations,
            BaselineValidations = baselineValidations,
            Devices = [.. targets.Select((t, i) => new DeviceRunFacts(t.Name ?? t.Config.Device.Name, outcomes[i].Selection.Chosen?.Genome, t.Live.NewMeasurements))],
        };

        progress.Stage("stages: " + string.Join(", ", outcomes[^1].Stages.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Stage} {t.Duration.TotalSeconds:0.0} s")))
            + string.Create(CultureInfo.InvariantCulture, $"; report files rendered and written in {writing.Elapsed.TotalSeconds:0.0} s"));
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var selection = outcomes[i].Selection;
            var folder = target.Name is null ? output.Target : Path.Combine(output.Target, target.Name);
            console.Out.WriteLine(selection.Chosen is { } selected
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"hwnas: {target.Line($"selected {family.ToOfaNotation(selected.Genome)}: accuracy {LiveEvaluator.AccuracyOf(selected):P2}, latency {LiveEvaluator.LatencyMsOf(selected):0.###} ms; wrote {Path.Combine(folder, "model.onnx")}")}")
                : $"hwnas: {target.Line($"no sub-network meets the constraints ({string.Join(", ", [.. target.Constraints, .. limits.Constraints.Except(target.Constraints)])}){NoneCanMeetText(search.StopReason)}; {selection.Describe(family.ToOfaNotation)} Report: {Path.Combine(folder, "report.html")}")}");
        }

        if (named)
        {
            console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"hwnas: {targets.Count} devices, {searchValidations} accuracy validations by the search (+{baselineValidations} for the uniform baselines) shared by all; summary: {Path.Combine(output.Target, DeviceComparisonWriter.MarkdownFile)}"));
        }

        return outcomes.All(o => o.Selection.IsFeasible) ? ExitCode.Success : ExitCode.NoFeasibleModel;
    }

    /// <summary>
    /// Verifies the front on one device, selects (and confirms) its model, and writes the model and the reports into
    /// <paramref name="folder"/>; <paramref name="builtLatency"/> is the device's stored latency predictor the search used, if any.
    /// </summary>
    private static async Task<DeviceOutcome> FinishDeviceAsync(
        DeviceTarget target,
        ProgressPrinter progress,
        StageClock clock,
        ResultsStore store,
        SupernetSession session,
        SubnetOnnx onnx,
        SharedAccuracy accuracy,
        IReadOnlyList<Objective> objectives,
        PlanLimits limits,
        string strategyName,
        BuiltLatencyPredictor? builtLatency,
        BudgetedSearchResult search,
        IReadOnlyList<EvaluatedCandidate> measured,
        StageFacts searchFacts,
        string folder,
        CancellationToken cancellationToken)
    {
        var config = target.Config;
        var live = target.Live;
        var constraints = target.Constraints;

        // The stages after the search take a while too (tens of seconds on a large front): each says what it does and
        // each stops at the next step once cancelled, so Ctrl+C is answered at once there as well.
        progress.Stage(target.Line(string.Create(CultureInfo.InvariantCulture, $"verifying the {search.Outcome.Front.Members.Count} members of the front by live measurement")));
        var measuredBefore = live.NewMeasurements;
        var verification = await clock.MeasureAsync(PipelineStages.Verify, () => FrontVerification.VerifyAsync(
            [.. search.Outcome.Front.Members.Select(c => c.Genome)], live, constraints, cancellationToken)).ConfigureAwait(false);
        var verifyMeasurements = live.NewMeasurements - measuredBefore;

        progress.Stage(target.Line(string.Create(CultureInfo.InvariantCulture, $"cross-validating the predictors on {measured.Count} measured sub-networks for the report")));
        var quality = clock.Measure(
            PipelineStages.Fit, () => PredictorQualityReport.Measure(session.Family, builtLatency?.Apply(config.Search.Predictors) ?? config.Search.Predictors, measured, config.Search.Seed, cancellationToken));

        var policy = SelectionPolicyOf(config.Output.Select, config.Constraints, constraints);
        var confirmationProfiler = config.Output.Confirm == 0
            ? null
            : await DeviceProfilers.OpenAsync(
                config, new LatencyProfilerOptions(config.Device.Measure, [], Metric: LatencyProfilerOptions.ConfirmationMetric), store, line => progress.Stage(target.Line(line)), cancellationToken)
                .ConfigureAwait(false);
        await using var remoteConfirmation = confirmationProfiler as IAsyncDisposable;

        // Confirmations are stored under their own metric, so a later run reuses them and they never replace the search's.
        var confirmation = confirmationProfiler is null ? null : new LiveEvaluator(onnx, accuracy, confirmationProfiler, objectives);
        var confirmed = await clock.MeasureAsync(PipelineStages.Verify, () => FinalSelection.SelectAsync(
            policy, confirmation, config.Output.Confirm, objectives, verification.Verified.Members, measured, limits.Misses, cancellationToken)).ConfigureAwait(false);
        var selection = confirmed.Selection;
        progress.Stage(target.Line("measuring the uniformly scaled sub-networks beside the selection"));
        var baselines = await clock.MeasureAsync(
            PipelineStages.Verify, () => UniformBaselines.MeasureAsync(session.Family, live, confirmation, cancellationToken)).ConfigureAwait(false);
        var confirmMeasurements = confirmation?.NewMeasurements ?? 0;

        progress.Stage(target.Line("writing the model and the reports"));
        var facts = new CandidateFacts(session.Family, live);
        var exported = clock.Measure(PipelineStages.Export, () => selection.Chosen is { } chosen
            ? WriteModels(folder, onnx, chosen, live, target.Profiler.Fingerprint, config, verification.Verified.Members, cancellationToken)
            : 0);

        cancellationToken.ThrowIfCancellationRequested();
        var report = clock.Enter(PipelineStages.Report);
        var summaries = new RunSummaryFactory(config, session.Family, target.Profiler.Fingerprint, facts, target.LargestLatencyMs)
        {
            NumericCheck = session.NumericCheck,
            RemoteDevice = RunSummaryFactory.RemoteDeviceSettings(target.Profiler, live),
        };
        var summary = summaries.Create(clock.StartedAt, clock.Now, strategyName, objectives, measured, search, verification, quality, confirmed, [])
            with { Baselines = summaries.Baselines(baselines) };
        report.Dispose();
        var stages = RunSummaryFactory.StageTimings(clock, searchFacts with
        {
            QualityChecks = quality.Count,
            StopReason = summary.Search.StopReason,
            Verified = verification.Remeasured.Count,
            VerifyMeasurements = verifyMeasurements,
            Confirmed = confirmed.Confirmations.Count,
            ConfirmMeasurements = confirmMeasurements,
            Models = exported,
        });
        summary = summary with { Stages = stages, FinishedAt = clock.Now, BuiltPredictor = builtLatency?.Summary };
        ReportWriter.CreateDefault().Write(summary, folder, cancellationToken);
        return new DeviceOutcome(selection, summary, stages, facts, confirmMeasurements);
    }

    /// <summary>
    /// The devices of the run: the one device of the file (or of <c>--device</c>), or each profile of a device list
    /// (<c>--devices</c>, else the file's <c>devices:</c>), each loaded as the configuration with that profile's section.
    /// </summary>
    private static List<(string? Name, HwNasConfig Config)> LoadDevices(OptimizeRequest request)
    {
        if (request.Device is not null && request.Devices.Count > 0)
        {
            throw new HwNasException("Give --device (one device) or --devices (several), not both.", ExitCode.BadConfig);
        }

        var file = ApplyOverrides(HwNasConfigLoader.Load(request.ConfigPath, new ConfigLoadOptions { DeviceProfile = request.Device }), request);
        var names = request.Device is not null ? [] : request.Devices.Count > 0 ? request.Devices : file.Devices;
        if (names.Count == 0)
        {
            return [(null, file)];
        }

        var repeated = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (repeated is not null)
        {
            throw new HwNasException($"The device list names '{repeated}' more than once.", ExitCode.BadConfig);
        }

        return [.. names.Select(name => ((string?)name, ApplyOverrides(HwNasConfigLoader.Load(request.ConfigPath, new ConfigLoadOptions { DeviceProfile = name }), request)))];
    }

    // Each device's latency bound applies to its own latency objective, and meeting one device's is enough.
    private static List<Constraint> SearchConstraints(List<DeviceTarget> targets)
    {
        var latencyBounds = targets.SelectMany(t => t.Constraints
            .Where(c => c.ObjectiveName == Objective.Latency.Name)
            .Select(c => c with { ObjectiveName = t.LatencyObjective.Name, AnyOf = Objective.Latency.Name }));
        return [.. targets[0].Constraints.Where(c => c.ObjectiveName != Objective.Latency.Name), .. latencyBounds];
    }

    /// <summary>The search as one device sees it: its own objectives' values, its constraints, its first trial that met them.</summary>
    private static BudgetedSearchResult ForDevice(
        BudgetedSearchResult search,
        IReadOnlyList<EvaluatedCandidate> measured,
        Func<EvaluatedCandidate, EvaluatedCandidate> project,
        IReadOnlyList<Objective> objectives,
        IReadOnlyList<Constraint> constraints,
        PlanLimits limits)
    {
        var outcome = search.Outcome;
        var firstMet = measured.Select((c, i) => (Candidate: c, Validations: i + 1)).FirstOrDefault(m => m.Candidate.IsFeasible && limits.Allows(m.Candidate));
        return search with
        {
            Outcome = outcome with
            {
                Front = ParetoFront.Of(objectives, measured),
                Measured = measured,
                FinalPopulation = [.. outcome.FinalPopulation.Select(c => project(c).WithConstraints(objectives, constraints))],
            },
            FirstMet = firstMet.Candidate,
            ValidationsWhenMet = firstMet.Candidate is null ? null : firstMet.Validations,
        };
    }

    private static DeviceComparison Comparison(
        StageClock clock, string strategy, int trials, int accuracyValidations, int baselineValidations, List<DeviceTarget> targets, List<DeviceOutcome> outcomes)
    {
        var choices = new List<DeviceChoice>();
        for (var i = 0; i < targets.Count; i++)
        {
            var (target, outcome) = (targets[i], outcomes[i]);
            var chosen = outcome.Selection.Chosen;
            var sameAs = chosen is null
                ? null
                : Enumerable.Range(0, i).Where(j => outcomes[j].Selection.Chosen?.Genome.Key == chosen.Genome.Key).Select(j => targets[j].Name).FirstOrDefault();
            var fingerprint = target.Profiler.Fingerprint;
            choices.Add(new DeviceChoice(
                target.Name!,
                fingerprint.Key,
                fingerprint.CpuModel,
                chosen is null ? null : outcome.Facts.Summarize(chosen),
                target.Config.Constraints.EffectiveLatencyMs(target.LargestLatencyMs),
                target.Live.NewMeasurements,
                sameAs));
        }

        return new DeviceComparison(Program.InformationalVersion, clock.StartedAt, clock.Now, strategy, trials, accuracyValidations, choices, baselineValidations);
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

    // The largest sub-network's latency a study was created with, which its relative latency budget is resolved against
    // (one per device in a run over several devices).
    private const string LargestLatencySetting = "largest_latency_ms";

    private static string LargestLatencyKey(string? device) => device is null ? LargestLatencySetting : $"{LargestLatencySetting}@{device}";

    private static double? LargestLatencyOf(StudyRecord? study, string? device)
    {
        if (study is null)
        {
            return null;
        }

        var settings = JsonSerializer.Deserialize<Dictionary<string, string>>(study.SettingsJson);
        return settings is not null && settings.TryGetValue(LargestLatencyKey(device), out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    // The stored settings are the key's plus the resolved largest latencies, which are not part of the study's name.
    private static string WithLargestLatency(string settingsJson, IReadOnlyList<DeviceTarget> targets)
    {
        if (targets.All(t => t.LargestLatencyMs is null))
        {
            return settingsJson;
        }

        var settings = JsonSerializer.Deserialize<SortedDictionary<string, string>>(settingsJson)!;
        foreach (var target in targets.Where(t => t.LargestLatencyMs is not null))
        {
            settings[LargestLatencyKey(target.Name)] = target.LargestLatencyMs!.Value.ToString("R", CultureInfo.InvariantCulture);
        }

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
/// <param name="NewMeasurements">Latency measurements taken (not read from the store), on every device.</param>
/// <param name="ResumedTrials">Trials the study already held.</param>
/// <param name="Trials">Trials the study holds now.</param>
/// <param name="Selected">The selected genome (of the first device), or null when none was feasible.</param>
/// <param name="Written">The output files moved into place.</param>
internal sealed record OptimizeRunFacts(int NewMeasurements, int ResumedTrials, int Trials, Genome? Selected, IReadOnlyList<string> Written)
{
    /// <summary>Sub-networks whose accuracy the search validated in this run (not read from the store), for all devices together.</summary>
    public int AccuracyValidations { get; init; }

    /// <summary>Uniformly scaled sub-networks validated after the search for the reports' comparison (not already validated).</summary>
    public int BaselineValidations { get; init; }

    /// <summary>Per device, in the configured order (one entry for a single-device run).</summary>
    public IReadOnlyList<DeviceRunFacts> Devices { get; init; } = [];
}

/// <summary>What one optimize run did for one device.</summary>
/// <param name="Name">The device profile's name (the device's name for a single-device run).</param>
/// <param name="Selected">The selected genome, or null when none was feasible.</param>
/// <param name="NewMeasurements">Latency measurements taken on the device during the search and verification.</param>
internal sealed record DeviceRunFacts(string Name, Genome? Selected, int NewMeasurements);

/// <summary>One device's selection and reports.</summary>
/// <param name="Selection">What was selected, or why nothing was.</param>
/// <param name="Summary">The device's report.</param>
/// <param name="Stages">The run's stage timings as the device's report shows them.</param>
/// <param name="Facts">Summarises candidates with the device's measurements.</param>
/// <param name="ConfirmMeasurements">Confirmation measurements taken.</param>
internal sealed record DeviceOutcome(
    SelectionResult Selection, RunSummary Summary, IReadOnlyList<StageTiming> Stages, CandidateFacts Facts, int ConfirmMeasurements);
