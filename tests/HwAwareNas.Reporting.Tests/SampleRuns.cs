using System.Globalization;
using HwAwareNas.Core.Diagnostics;
using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Reporting.Tests;

/// <summary>A realistic run summary built by hand: twelve MobileNetV3 candidates, a front, predictor pairs.</summary>
internal static class SampleRuns
{
    public const string MaliciousDevice = "rpi4 <script>alert('x')</script> & \"co\" | pipe";

    public static readonly ConstraintSummary LatencyBudget = new("latency", ConstraintComparison.AtMost, 4.0, "ms");

    public static string GenomeOf(int i) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"ks\":[{3 + (2 * (i % 3))},5,7],\"e\":[{3 + (i % 4)},4,6],\"d\":[{2 + (i % 3)},3]}}");

    public static IReadOnlyList<CandidateSummary> Candidates()
    {
        var list = new List<CandidateSummary>();
        for (var i = 0; i < 12; i++)
        {
            var latency = 2.0 + (0.45 * i);
            var accuracy = 84.0 + (6 * (1 - Math.Exp(-0.35 * i))) - (i % 3 == 1 ? 1.2 : 0);
            var measured = i % 2 == 0;
            list.Add(new CandidateSummary(
                GenomeOf(i),
                measured ? EvaluationOrigin.Measured : EvaluationOrigin.Predicted,
                accuracy,
                latency,
                measured ? new LatencyStatistics(latency, latency * 0.99, latency * 1.08, latency * 0.03, 150) : null,
                accuracy + 0.3,
                latency * (1 + (0.04 * ((i % 5) - 2))),
                120_000 + (15_000 * i),
                9_000_000 + (1_100_000 * i),
                500_000 + (60_000 * i)));
        }

        return list;
    }

    public static RunSummary Feasible(string deviceName = "rpi4")
    {
        var candidates = Candidates();
        var predictedFront = candidates.Where((_, i) => i % 3 != 1 && i < 10).ToArray();
        var verifiedFront = predictedFront.Where(c => c.Measured is not null).ToArray();
        var selected = verifiedFront.Where(c => c.LatencyMs <= LatencyBudget.Bound).MaxBy(c => c.Accuracy)!;
        return Base(deviceName, candidates, predictedFront, verifiedFront) with
        {
            Outcome = ExitCode.Success,
            Selection = new SelectionSummary(
                "max-accuracy",
                selected,
                "Most accurate measured sub-network within every constraint.",
                [new ConstraintMargin(LatencyBudget, selected.LatencyMs)],
                [],
                [
                    new ConfirmationSummary("{\"passed-over\":1}", selected.Accuracy + 0.5, LatencyBudget.Bound * 0.99, LatencyBudget.Bound * 1.04, Passed: false),
                    new ConfirmationSummary(selected.Genome, selected.Accuracy, selected.LatencyMs * 0.98, selected.LatencyMs, Passed: true),
                ]),
        };
    }

    public static RunSummary NoFeasible()
    {
        var tight = LatencyBudget with { Bound = 1.5 };
        var candidates = Candidates();
        var verifiedFront = candidates.Where(c => c.Measured is not null).Take(4).ToArray();
        var nearest = verifiedFront.Take(2).Select(c => new NearMissSummary(c, [new ConstraintMargin(tight, c.LatencyMs)])).ToArray();
        return Base("rpi4", candidates, verifiedFront, verifiedFront) with
        {
            Outcome = ExitCode.NoFeasibleModel,
            Constraints = [tight],
            Selection = new SelectionSummary("max-accuracy", null, "No measured sub-network is fast enough.", [], nearest, []),
        };
    }

    private static RunSummary Base(
        string deviceName,
        IReadOnlyList<CandidateSummary> candidates,
        IReadOnlyList<CandidateSummary> predictedFront,
        IReadOnlyList<CandidateSummary> verifiedFront)
    {
        var started = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
        var pairs = candidates.Where(c => c.Measured is not null)
            .Select(c => new PredictionPair(c.Measured!.TrimmedMeanMs, c.PredictedLatencyMs!.Value))
            .ToArray();
        return new RunSummary(
            "0.1.0",
            started,
            started.AddMinutes(7.5),
            ExitCode.Success,
            new ConfigSummary("/src/app/hwnas.yaml", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            new FamilySummary("mobilenetv3", [new Setting("stem", "16"), new Setting("resolution", "28")]),
            new DeviceSummary(
                deviceName,
                "CPUExecutionProvider",
                2,
                1,
                "a1b2c3d4e5f60718",
                [new Setting("cpu", "Intel(R) Xeon(R) Platinum 8370C"), new Setting("cores", "2"), new Setting("ort", "1.31.1")],
                [new Setting("latency statistic", "p10"), new Setting("timed runs", "100 in 5 rounds")]),
            [new ObjectiveSummary(Objective.Accuracy.Name, Objective.Accuracy.Direction, "%"), new ObjectiveSummary(Objective.Latency.Name, Objective.Latency.Direction, Objective.Latency.Unit)],
            [LatencyBudget],
            new SearchSummary(
                "nsga2", 480, 500, TimeSpan.FromSeconds(95.5), TimeSpan.FromMinutes(10), "validation budget spent", new StopWhenMetSummary(false, false, 37)),
            [
                new StageTiming("Train", TimeSpan.FromSeconds(2), true, "loaded the trained checkpoint"),
                new StageTiming("Profile", TimeSpan.FromSeconds(140), false, "480 sub-networks evaluated live"),
                new StageTiming("Fit", TimeSpan.FromSeconds(12), false, "10 predictor fits"),
                new StageTiming("Search", TimeSpan.FromSeconds(95.5), false),
                new StageTiming("Verify", TimeSpan.FromSeconds(180), false),
                new StageTiming("Export", TimeSpan.FromSeconds(3), false),
                new StageTiming("Report", TimeSpan.FromSeconds(1), false),
            ],
            candidates,
            predictedFront,
            verifiedFront,
            [.. Enumerable.Range(1, 10).Select(k => new HypervolumePoint(k * 48, 0.5 + (0.3 * (1 - Math.Exp(-0.4 * k)))))],
            [new PredictorQuality("gbdt", "latency", "ms", 0.87, 4.1, 0.95, 0.12, pairs.Length, pairs)],
            new SelectionSummary("max-accuracy", null, string.Empty, [], [], []));
    }
}
