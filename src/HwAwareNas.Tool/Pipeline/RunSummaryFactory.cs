using System.Globalization;
using System.Security.Cryptography;
using HwAwareNas.Core.Configuration;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;
using Objective = HwAwareNas.Core.Evaluation.Objective;
using HwAwareNas.Core.Families;
using HwAwareNas.Core.Results;
using HwAwareNas.Reporting;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Selection;
using HwAwareNas.Search.Strategies;
using ReportNearMiss = HwAwareNas.Reporting.NearMiss;

namespace HwAwareNas.Tool.Pipeline;

/// <summary>Builds the immutable <see cref="RunSummary"/> the report exporters read.</summary>
internal sealed class RunSummaryFactory(HwNasConfig config, IElasticFamily family, DeviceFingerprint fingerprint, CandidateFacts facts)
{
    /// <summary>The summary of one optimize run.</summary>
    public RunSummary Create(
        DateTimeOffset started,
        string strategy,
        IReadOnlyList<EvaluatedCandidate> measured,
        SearchOutcome outcome,
        VerificationResult verification,
        IReadOnlyList<PredictorQuality> predictors,
        SelectionResult selection,
        SearchBudget budget,
        IReadOnlyList<StageTiming> stages)
    {
        IReadOnlyList<Objective> objectives = [Objective.Accuracy, Objective.Latency];
        var constraints = ConstraintSummaries(config.Constraints);
        var distinct = measured.GroupBy(c => c.Genome.Key, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var selected = selection.Chosen is { } chosen ? facts.Summarize(chosen) : null;
        var outcomeCode = selection.IsFeasible ? ExitCode.Success : ExitCode.NoFeasibleModel;
        return new RunSummary(
            Program.InformationalVersion,
            started,
            DateTimeOffset.UtcNow,
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
                    new Setting("latency statistic", ConfigChoices.Format(config.Device.Measure.Statistic)),
                    new Setting("runtime", fingerprint.RuntimeVersion),
                    new Setting("os", fingerprint.OperatingSystem),
                    new Setting("batch", fingerprint.Batch.ToString(CultureInfo.InvariantCulture)),
                    new Setting("input", fingerprint.InputShape),
                    new Setting("graph_optimization", fingerprint.GraphOptimization),
                    new Setting("precision", fingerprint.Precision),
                ]),
            [.. objectives.Select(o => new ObjectiveSummary(o.Name, o.Direction, o.Unit))],
            constraints,
            new SearchSummary(strategy, budget.ValidationsUsed, budget.ValidationBudget, budget.WallTime, budget.WallTimeLimit, budget.StopReason),
            stages,
            [.. distinct.Select(c => facts.Summarize(c))],
            [.. outcome.FinalPopulation.Where(c => c.Origin == EvaluationOrigin.Predicted).Select(c => facts.Summarize(c, c.Values[0], c.Values[1]))],
            [.. verification.Verified.Members.Select(c => facts.Summarize(c))],
            HypervolumeSeries(objectives, measured),
            predictors,
            new SelectionSummary(
                PolicyName(config.Output.Select),
                selected,
                selection.Describe(),
                selection.Chosen is { } c2 ? Margins(constraints, c2) : [],
                [.. selection.Nearest.Select(n => new ReportNearMiss(facts.Summarize(n.Candidate), Margins(constraints, n.Candidate)))]));
    }

    // Hypervolume after each validation, against one reference point for the whole run so the series is comparable.
    private static List<HypervolumePoint> HypervolumeSeries(IReadOnlyList<Objective> objectives, IReadOnlyList<EvaluatedCandidate> measured)
    {
        var final = ParetoFront.Of(objectives, measured);
        if (final.Members.Count == 0)
        {
            return [];
        }

        var reference = HypervolumeReference.For(objectives, final.Members);
        return [.. Enumerable.Range(1, measured.Count).Select(k => new HypervolumePoint(k, ParetoFront.Of(objectives, measured.Take(k)).Hypervolume(reference)))];
    }

    private static List<ConstraintSummary> ConstraintSummaries(ConstraintsOptions options)
    {
        var constraints = new List<ConstraintSummary>();
        if (options.LatencyMs is { } latency)
        {
            constraints.Add(new ConstraintSummary(Objective.Latency.Name, ConstraintComparison.AtMost, latency, Objective.Latency.Unit));
        }

        if (options.MinAccuracy is { } floor)
        {
            constraints.Add(new ConstraintSummary(Objective.Accuracy.Name, ConstraintComparison.AtLeast, floor, Objective.Accuracy.Unit));
        }

        return constraints;
    }

    private static List<ConstraintMargin> Margins(IReadOnlyList<ConstraintSummary> constraints, EvaluatedCandidate candidate) =>
        [.. constraints.Select(c => new ConstraintMargin(c, candidate.Values[c.ObjectiveName == Objective.Accuracy.Name ? 0 : 1]))];

    private static string PolicyName(SelectionPolicy policy) => policy switch
    {
        SelectionPolicy.MaxAccuracy => "max-accuracy",
        SelectionPolicy.MinLatency => "min-latency",
        _ => "knee",
    };

    private static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
