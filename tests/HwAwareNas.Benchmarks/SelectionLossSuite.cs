using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Encodings;
using HwAwareNas.Predictors.Metrics;
using HwAwareNas.Search.Algorithms;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Operators;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Surrogates;
using HwAwareNas.Tool.Pipeline;

namespace HwAwareNas.Benchmarks;

/// <summary>
/// What predictor error costs at selection (Laube et al.): per predictor, a full search (measure random samples, fit,
/// NSGA-II on the predictor) whose predicted front is judged against the true front before and after verification
/// (re-measuring the predicted front and keeping only its truly feasible, truly non-dominated members).
/// </summary>
internal static class SelectionLossSuite
{
    /// <summary>Runs the suite.</summary>
    public static async Task<IReadOnlyList<ResultTable>> RunAsync(BenchmarkRun run, CancellationToken cancellationToken)
    {
        var s = run.Settings;
        var sample = run.Sample;
        var space = sample.Family;
        var objectives = LiveSample.Objectives;
        var live = sample.Live(1);
        var records = new List<SelectionRecord>();
        var progress = Progress.Start("selection: predictor searches", PredictorQualitySuite.Predictors.Length * s.SelectionSeeds);
        foreach (var predictor in PredictorQualitySuite.Predictors)
        {
            for (var seed = 1; seed <= s.SelectionSeeds; seed++)
            {
                // FullSearch's steps, kept apart so the predicted front's predicted values stay visible.
                var samples = DistinctSampling.Sample(space, s.SelectionSamples, new Random(seed));
                var measured = await live.EvaluateAsync(samples, cancellationToken).ConfigureAwait(false);
                using var surrogate = SurrogateEvaluator.Fit(objectives, measured, _ => new GenomeSurrogate(space, predictor));
                var algorithm = Nsga2.Create(
                    space, objectives, [],
                    new Nsga2Settings(s.SelectionPopulation, new Termination(maxGenerations: s.InnerGenerations), seed));
                await AskTellLoop.RunAsync(algorithm, surrogate, cancellationToken).ConfigureAwait(false);
                var predicted = ParetoFront.Of(objectives, algorithm.Population.Select(i => i.Candidate));
                var verification = await FrontVerification.VerifyAsync(
                    [.. predicted.Members.Select(c => c.Genome)], live, [], cancellationToken).ConfigureAwait(false);
                records.Add(new SelectionRecord(predictor, seed, predicted, verification));
                progress.Step(records.Count, $"{predictor} seed {seed}: predicted front {predicted.Members.Count}, verified {verification.Verified.Members.Count}");
            }
        }

        // The true front: everything this process measured live on the 1-thread profile, verifications included.
        var truth = ParetoFront.Of(objectives, sample.Seen);
        var point = ReferencePoint.Nadir(objectives, truth);
        var trueVolume = truth.Hypervolume(point);
        var rows = PredictorQualitySuite.Predictors.Select(predictor =>
        {
            var mine = records.Where(r => r.Predictor == predictor).ToList();
            return new[]
            {
                predictor,
                GenomeEncodings.DefaultFor(predictor),
                Cell.MeanStdev([.. mine.Select(r => (double)r.Predicted.Members.Count)], "F1"),
                Cell.MeanStdev([.. mine.Select(r => 100.0 * r.Verification.Verified.Members.Count / Math.Max(1, r.Predicted.Members.Count))], "F0"),
                Cell.MeanStdev([.. mine.Select(r => MeanGap(truth, r.Verification.Remeasured) * 100)], "F2"),
                Cell.MeanStdev([.. mine.Select(r => MeanGap(truth, r.Verification.Verified.Members) * 100)], "F2"),
                Cell.MeanStdev([.. mine.Select(r => MeanReductionInAccuracy.Compute(objectives, truth.Members, r.Verification.Verified.Members) * 100)], "F2"),
                Cell.MeanStdev([.. mine.Select(r => NothingDeployableShare(truth, r.Verification.Verified) * 100)], "F0"),
                Cell.MeanStdev([.. mine.Select(r => LatencyMape(space, r) * 100)], "F1"),
                Cell.MeanStdev([.. mine.Select(r => r.Predicted.Hypervolume(point) / trueVolume)]),
                Cell.MeanStdev([.. mine.Select(r => r.Verification.Verified.Hypervolume(point) / trueVolume)]),
            };
        }).ToList();

        var note = $"Per predictor (its default encoding), {s.SelectionSeeds} seed(s): {s.SelectionSamples} random sub-networks measured live, "
            + $"the predictor fitted on them (accuracy and latency), NSGA-II on the predictor ({s.SelectionPopulation} × {s.InnerGenerations} generations, "
            + "no constraints), and its predicted front re-measured; verification keeps the re-measured members that are truly non-dominated "
            + $"among themselves (kept_%). True front: every sub-network measured live on this profile in this run ({sample.Seen.Count}, the other "
            + $"suites' included; {truth.Members.Count} members). **Mean reduction in accuracy** as Laube et al. measure a predicted Pareto set "
            + "(percentage points): for each member, the true front's best accuracy at no more than the member's measured latency minus the "
            + "member's measured accuracy, averaged over the set — *before* verification over the whole predicted front, *after* over the "
            + "verified members. mra_by_budget_pp is the product's `MeanReductionInAccuracy` of the verified front (per true-front budget; a "
            + "budget the front cannot serve counts its whole accuracy, no_pick_%: such budgets), so it mostly says how far towards the fastest "
            + "sub-networks the predicted front reaches. latency_mape_%: the predictor's latency error on its own front. Hypervolume ratios "
            + "against the true front (nadir reference point): claimed = the predicted front at its predicted values (what the search believes "
            + "before verification); measured = the verified front (dropping dominated members removes no volume, so it equals the whole "
            + "predicted front's volume at measured values).";
        return
        [
            new ResultTable(
                "selection-loss",
                "Selection loss per predictor, before and after verification",
                note,
                ["predictor", "encoding", "predicted_front", "kept_%", "mra_before_pp", "mra_after_pp", "mra_by_budget_pp", "no_pick_%", "latency_mape_%", "hv_claimed", "hv_measured"],
                rows),
        ];
    }

    private static double MeanGap(ParetoFront truth, IReadOnlyList<EvaluatedCandidate> members)
    {
        if (members.Count == 0)
        {
            return double.NaN;
        }

        // The true front holds every live measurement, these members' included, so each gap is at least 0.
        return members.Average(m => truth.Members.Where(t => t.Values[1] <= m.Values[1]).Select(t => t.Values[0]).DefaultIfEmpty(m.Values[0]).Max() - m.Values[0]);
    }

    private static double LatencyMape(ISearchSpace space, SelectionRecord record)
    {
        // The live evaluator answers with canonical genomes; the search's may carry inactive genes.
        var measured = record.Verification.Remeasured.ToDictionary(c => space.Canonicalize(c.Genome).Key, StringComparer.Ordinal);
        var members = record.Predicted.Members;
        return QualityMetrics.Mape(
            [.. members.Select(p => measured[space.Canonicalize(p.Genome).Key].Values[1])], [.. members.Select(p => p.Values[1])]);
    }

    private static double NothingDeployableShare(ParetoFront truth, ParetoFront verified) =>
        (double)truth.Members.Count(t => !verified.Members.Any(v => v.Values[1] <= t.Values[1])) / truth.Members.Count;

    private sealed record SelectionRecord(string Predictor, int Seed, ParetoFront Predicted, VerificationResult Verification);
}
