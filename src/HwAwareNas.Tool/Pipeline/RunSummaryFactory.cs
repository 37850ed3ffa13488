using System.Globalization;
using System.Security.Cryptography;
using HwAwareNas.Cluster.Caller;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Measurement;
using HwAwareNas.Reporting;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Selection;
using HwAwareNas.Search.Strategies;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>Builds the immutable <see cref="RunSummary"/> the report exporters read.</summary>
/// <remarks><c>largestLatencyMs</c> resolves a relative latency budget (<c>constraints.latency_fraction</c>).</remarks>
internal sealed class RunSummaryFactory(
    HwNasConfig config, IElasticFamily family, DeviceFingerprint fingerprint, CandidateFacts facts, double? largestLatencyMs = null)
{
    /// <summary>The numeric self-check the session passed (shown in the report's device section).</summary>
    public NumericCheckOutcome? NumericCheck { get; init; }

    /// <summary>Where a remote device was measured (kind, agents used, agents not used and why); empty for this machine.</summary>
    public IReadOnlyList<Setting> RemoteDevice { get; init; } = [];

    /// <summary>
    /// The summary of one optimize run; <paramref name="stages"/> and <paramref name="finished"/> are usually set again
    /// once the Report stage, which assembles this summary, has ended.
    /// </summary>
    public RunSummary Create(
        DateTimeOffset started,
        DateTimeOffset finished,
        string strategy,
        IReadOnlyList<Objective> objectives,
        IReadOnlyList<EvaluatedCandidate> measured,
        BudgetedSearchResult search,
        VerificationResult verification,
        IReadOnlyList<PredictorQuality> predictors,
        ConfirmedSelectionResult confirmed,
        IReadOnlyList<StageTiming> stages)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(confirmed);
        var selection = confirmed.Selection;
        var outcome = search.Outcome;
        var constraints = ConstraintSummaries(config.Constraints, largestLatencyMs);
        var distinct = measured.GroupBy(c => c.Genome.Key, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var selected = selection.Chosen is { } chosen ? facts.Summarize(chosen) : null;
        var outcomeCode = selection.IsFeasible ? ExitCode.Success : ExitCode.NoFeasibleModel;
        return new RunSummary(
            Program.InformationalVersion,
            started,
            finished,
            outcomeCode,
            new ConfigSummary(config.SourcePath, Sha256Of(config.SourcePath)),
            new FamilySummary(family.Family, [.. config.Supernet.Settings.Names.Select(n => new Setting(n, string.Join('/', config.Supernet.Settings.GetStringList(n))))]),
            new DeviceSummary(
                config.Device.Name,
                fingerprint.Provider,
                config.Device.IntraOpThreads,
                config.Device.Batch,
                fingerprint.Key,
                [
                    new Setting("cpu", fingerprint.CpuModel),
                    new Setting("cores", fingerprint.LogicalCores.ToString(CultureInfo.InvariantCulture)),
                    new Setting("intra_op_threads", fingerprint.IntraOpThreads.ToString(CultureInfo.InvariantCulture)),
                    new Setting("inter_op_threads", fingerprint.InterOpThreads.ToString(CultureInfo.InvariantCulture)),
                    new Setting("runtime", fingerprint.RuntimeVersion),
                    new Setting("os", fingerprint.OperatingSystem),
                    new Setting("batch", fingerprint.Batch.ToString(CultureInfo.InvariantCulture)),
                    new Setting("input", fingerprint.InputShape),
                    new Setting("graph_optimization", fingerprint.GraphOptimization),
                    new Setting("precision", fingerprint.Precision),
                    .. RemoteDevice,
                ],
                [.. MeasurementSettings(config.Device.Measure, config.Output.Confirm), AccuracyProtocol()])
            {
                NumericCheck = NumericCheckSettings(NumericCheck),
            },
            [.. objectives.Select(o => new ObjectiveSummary(o.Name, o.Direction, CandidateFacts.ReportUnit(o)))],
            constraints,
            new SearchSummary(
                strategy,
                measured.Count,
                config.Search.Validations,
                search.WallTime,
                config.Search.MaxTime,
                StopReasonText(search.StopReason),
                new StopWhenMetSummary(config.Search.StopWhenMet, search.StopReason == SearchStopReason.ConstraintsMet, search.ValidationsWhenMet),
                StrategyFactory.Describe(config.Search)),
            stages,
            [.. distinct.Select(c => facts.Summarize(c))],
            [.. outcome.FinalPopulation.Where(c => c.Origin == EvaluationOrigin.Predicted).Select(c => facts.Summarize(c, LiveEvaluator.AccuracyOf(c), LiveEvaluator.LatencyMsOf(c)))],
            [.. verification.Verified.Members.Select(c => facts.Summarize(c))],
            HypervolumeSeries(objectives, measured),
            predictors,
            new SelectionSummary(
                ConfigChoices.Format(config.Output.Select),
                selected,
                selection.Describe(family.ToOfaNotation),
                selected is null ? [] : Margins(constraints, selected),
                [.. selection.Nearest.Select(n => facts.Summarize(n.Candidate)).Select(c => new NearMissSummary(c, Margins(constraints, c)))],
                [.. confirmed.Confirmations.Select(k => new ConfirmationSummary(
                    family.ToOfaNotation(k.Searched.Genome),
                    LiveEvaluator.AccuracyOf(k.Searched) * CandidateFacts.PercentPerFraction,
                    LiveEvaluator.LatencyMsOf(k.Searched),
                    LiveEvaluator.LatencyMsOf(k.Remeasured),
                    k.Passed))]));
    }

    // How accuracy was scored. A family without BatchNorm (the Transformer: LayerNorm normalises each token by itself and
    // keeps no running statistics) is scored as it is, and the report says so instead of naming calibration images.
    private Setting AccuracyProtocol()
    {
        var dataset = config.Dataset;
        var c = CultureInfo.InvariantCulture;
        var hasBatchNorm = family.Plan(family.Largest()).Ops.Any(op => op is BatchNormOp);
        return new Setting("accuracy", hasBatchNorm
            ? string.Create(c, $"top-1 on {dataset.ValidationImages} validation images after BatchNorm re-calibration on {dataset.CalibrationImages} training images")
            : string.Create(c, $"top-1 on {dataset.ValidationImages} validation images; no re-calibration: the network has no BatchNorm (LayerNorm keeps no running statistics)"));
    }

    private static List<Setting> MeasurementSettings(MeasureOptions measure, int confirm)
    {
        var c = CultureInfo.InvariantCulture;
        var adaptive = measure.Adaptive;
        return
        [
            new Setting("latency statistic", ConfigChoices.Format(measure.Statistic)),
            new Setting("warm-up runs", measure.Warmup.ToString(c)),
            new Setting("timed runs", adaptive.Enabled
                ? string.Create(c, $"adaptive: {adaptive.MinRuns}–{adaptive.MaxRuns} until the 99% interval is within {adaptive.MaxRelativeError:0.##%} of the mean")
                : string.Create(c, $"{measure.Runs} in {measure.Rounds} rounds interleaving each measured batch")),
            new Setting("trim", string.Create(c, $"{measure.Trim:0.##%} at each end")),
            new Setting("drift check", measure.ReferenceModels > 0
                ? string.Create(c, $"{measure.ReferenceModels} reference sub-networks every {measure.ReferenceEvery} measurements, at most {measure.MaxVariance:0.##%} drift")
                : "off"),
            new Setting("selection", confirm > 0 ? string.Create(c, $"best {confirm} per round measured a second time; the worse latency counts") : "on the search's measurements alone"),
        ];
    }

    /// <summary>
    /// Hypervolume after each validation, against one reference point for the whole run so the series is comparable.
    /// The front only changes when a validation joins it, so the volume is recomputed only then.
    /// </summary>
    internal static List<HypervolumePoint> HypervolumeSeries(IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> measured)
    {
        var final = ParetoFront.Of(objectives, measured);
        if (final.Members.Count == 0)
        {
            return [];
        }

        var reference = HypervolumeReference.For(objectives, final.Members);
        var series = new List<HypervolumePoint>(measured.Count);
        var front = ParetoFront.Of(objectives, []);
        var volume = 0.0;
        for (var k = 0; k < measured.Count; k++)
        {
            var candidate = measured[k];
            var vector = ObjectiveVectors.ToMinimization(objectives, candidate);
            var joins = candidate.IsFeasible && !front.Members.Any(m =>
                m.Genome.Equals(candidate.Genome) || Dominance.Dominates(ObjectiveVectors.ToMinimization(objectives, m), vector));
            if (joins)
            {
                front = ParetoFront.Of(objectives, [.. front.Members, candidate]);
                volume = front.Hypervolume(reference);
            }

            series.Add(new HypervolumePoint(k + 1, volume));
        }

        return series;
    }

    private static List<ConstraintSummary> ConstraintSummaries(ConstraintsOptions options, double? largestLatencyMs)
    {
        var constraints = new List<ConstraintSummary>();
        if (options.EffectiveLatencyMs(largestLatencyMs) is { } latency)
        {
            constraints.Add(new ConstraintSummary(Objective.Latency.Name, ConstraintComparison.AtMost, latency, Objective.Latency.Unit, LatencyNote(options, largestLatencyMs)));
        }

        if (options.MinAccuracy is { } floor)
        {
            constraints.Add(new ConstraintSummary(Objective.Accuracy.Name, ConstraintComparison.AtLeast, floor * CandidateFacts.ReportScale(Objective.Accuracy), CandidateFacts.ReportUnit(Objective.Accuracy)));
        }

        if (options.Params is { } parameters)
        {
            constraints.Add(new ConstraintSummary(Objective.Params.Name, ConstraintComparison.AtMost, parameters, Objective.Params.Unit));
        }

        if (options.Macs is { } macs)
        {
            constraints.Add(new ConstraintSummary(Objective.Macs.Name, ConstraintComparison.AtMost, macs, Objective.Macs.Unit));
        }

        if (options.SizeMb is { } size)
        {
            constraints.Add(new ConstraintSummary(Objective.Size.Name, ConstraintComparison.AtMost, size, Objective.Size.Unit));
        }

        return constraints;
    }

    // Where the latency bound comes from, when it is not latency_ms as written.
    private static string LatencyNote(ConstraintsOptions options, double? largestLatencyMs)
    {
        var relative = options.LatencyFraction is { } fraction && options.LatencyBudgetMs(largestLatencyMs) != options.LatencyMs
            ? string.Create(CultureInfo.InvariantCulture, $"latency_fraction {fraction:0.##%} of the largest sub-network's {largestLatencyMs:0.####} ms on this device")
            : null;
        var budget = relative ?? (options.LatencyMargin > 0 ? string.Create(CultureInfo.InvariantCulture, $"latency_ms {options.LatencyMs:0.####} ms") : null);
        return budget is null ? string.Empty
            : options.LatencyMargin > 0 ? string.Create(CultureInfo.InvariantCulture, $"{budget} less the {options.LatencyMargin:0.##%} latency_margin")
            : budget;
    }

    /// <summary>The uniformly scaled sub-networks for the report, each judged against the constraints at the worse of its latencies.</summary>
    public IReadOnlyList<BaselineSummary> Baselines(IReadOnlyList<MeasuredBaseline> baselines)
    {
        var constraints = ConstraintSummaries(config.Constraints, largestLatencyMs);
        return
        [
            .. baselines.Select(b =>
            {
                var candidate = facts.Summarize(b.Searched);
                var baseline = new BaselineSummary(b.Level, b.Levels, candidate, b.Remeasured is { } r ? LiveEvaluator.LatencyMsOf(r) : null, []);
                return baseline with { Margins = Margins(constraints, candidate with { LatencyMs = baseline.HeldLatencyMs }) };
            }),
        ];
    }

    private static List<ConstraintMargin> Margins(IReadOnlyList<ConstraintSummary> constraints, CandidateSummary candidate) =>
        [.. constraints.Select(c => new ConstraintMargin(c, ValueOf(c.ObjectiveName, candidate)))];

    private static double ValueOf(string objective, CandidateSummary candidate) => objective switch
    {
        "accuracy" => candidate.Accuracy,
        "latency" => candidate.LatencyMs,
        "params" => candidate.Parameters,
        "macs" => candidate.Macs,
        _ => candidate.SizeBytes / StructuralCosts.BytesPerMegabyte,
    };

    /// <summary>Why the search stopped, as the reports and the log say it.</summary>
    internal static string StopReasonText(SearchStopReason reason) => reason switch
    {
        SearchStopReason.WallTime => "wall-time limit reached",
        SearchStopReason.ConstraintsMet => "constraints met: a measured sub-network meets every constraint",
        SearchStopReason.NoneCanMeet => string.Create(
            CultureInfo.InvariantCulture,
            $"stopped early: the smallest sub-network measured more than {BudgetedSearch.HopelessFactor:0.#}× over an upper bound, so no sub-network can meet the constraints"),
        _ => "validation budget used",
    };

    /// <summary>The stage table: each stage's time and what it did.</summary>
    internal static List<StageTiming> StageTimings(StageClock clock, StageFacts facts)
    {
        string Text(FormattableString text) => string.Format(CultureInfo.InvariantCulture, text.Format, text.GetArguments());
        var details = new Dictionary<string, (bool Resumed, string Detail)>(StringComparer.Ordinal)
        {
            [PipelineStages.Train] = (true, Text($"loaded the trained checkpoint {facts.Checkpoint} and the data; optimize never trains (hwnas train does)")),
            [PipelineStages.Profile] = (
                facts.SearchMeasurements == 0,
                Text($"profiler set up; {facts.SearchEvaluated} sub-networks evaluated live for the search: {facts.SearchMeasurements} latencies measured, {facts.SearchEvaluated - facts.SearchMeasurements} read from the store")),
            [PipelineStages.Fit] = (false, Text($"{facts.SearchFits} predictor fits during the search; {facts.QualityChecks} predictors cross-validated ({PredictorQualityReport.Folds} folds) on the measured sub-networks for the report")),
            [PipelineStages.Search] = (
                facts.ResumedTrials > 0,
                Text($"{facts.Strategy} ({facts.StopReason}){(facts.ResumedTrials > 0 ? $", resumed with {facts.ResumedTrials} trials" : string.Empty)}; without the live evaluations and fits it asked for")),
            [PipelineStages.Verify] = (
                facts.Verified + facts.Confirmed > 0 && facts.VerifyMeasurements + facts.ConfirmMeasurements == 0,
                Text($"{facts.Verified} front members re-evaluated, {facts.VerifyMeasurements} latencies measured anew; {facts.Confirmed} finalists confirmed by a second measurement, {facts.ConfirmMeasurements} taken now")),
            [PipelineStages.Export] = (false, facts.Models == 0 ? "nothing: no sub-network meets the constraints" : Text($"{facts.Models} ONNX model(s) and inference_settings.json")),
            [PipelineStages.Report] = (false, "run summary assembled; rendering and writing the report files follows and is not included"),
        };
        return [.. PipelineStages.All.Select(stage => new StageTiming(stage, clock.Spent(stage), details[stage].Resumed, details[stage].Detail))];
    }

    /// <summary>A remote device's kind, the agents whose measurements this run used, and those found but not used.</summary>
    internal static List<Setting> RemoteDeviceSettings(ILatencyProfiler profiler, LiveEvaluator live) =>
        profiler is RemoteLatencyProfiler pool
            ?
            [
                new Setting("kind", pool.Fingerprint.DeviceKind ?? string.Empty),
                new Setting("measured_by", live.MeasuringAgents.Count == 0 ? "(all from the results store)" : string.Join(", ", live.MeasuringAgents)),
                .. pool.Excluded.Select(e => new Setting("not_used " + e.Key, e.Value)),
            ]
            : [];

    private static List<Setting> NumericCheckSettings(NumericCheckOutcome? check) => check is null
        ? []
        :
        [
            new Setting("result", check.FromCache ? "passed (cached pass with the same CPU, libraries and weights)" : string.Create(CultureInfo.InvariantCulture, $"passed in {check.Seconds:0.00} s")),
            new Setting("max_difference", check.MaxDifference.ToString("G3", CultureInfo.InvariantCulture)),
            new Setting("tolerance", check.Tolerance.ToString("G3", CultureInfo.InvariantCulture)),
            new Setting("checked", check.Description),
        ];

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}

/// <summary>What each stage did, for the stage table.</summary>
internal sealed record StageFacts(
    string Checkpoint,
    int SearchEvaluated,
    int SearchMeasurements,
    int SearchFits,
    int QualityChecks,
    string Strategy,
    string StopReason,
    int ResumedTrials,
    int Verified,
    int VerifyMeasurements,
    int Confirmed,
    int ConfirmMeasurements,
    int Models);
