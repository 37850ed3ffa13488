using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Predictors.Encodings;
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
                var surrogate = SurrogateEvaluator.Fit(objectives, measured, _ => new GenomeSurrogate(space, predictor));
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
            var before = mine.Select(r => DeployedBeforeVerification(space, truth, r.Predicted, r.Verification)).ToList();
            return new[]
            {
                predictor,
                GenomeEncodings.DefaultFor(predictor),
                Cell.MeanStdev([.. mine.Select(r => (double)r.Predicted.Members.Count)], "F1"),
                Cell.MeanStdev([.. mine.Select(r => 100.0 * r.Verification.Verified.Members.Count / Math.Max(1, r.Predicted.Members.Count))], "F0"),
                Cell.MeanStdev([.. before.Select(b => b.Reduction * 100)], "F2"),
                Cell.MeanStdev([.. before.Select(b => b.MissedShare * 100)], "F0"),
                Cell.MeanStdev([.. mine.Select(r => MeanReductionInAccuracy.Compute(objectives, truth.Members, r.Verification.Verified.Members) * 100)], "F2"),
                Cell.MeanStdev([.. mine.Select(r => NothingDeployableShare(truth, r.Verification.Verified) * 100)], "F0"),
                Cell.MeanStdev([.. mine.Select(r => r.Predicted.Hypervolume(point) / trueVolume)]),
                Cell.MeanStdev([.. mine.Select(r => r.Verification.Verified.Hypervolume(point) / trueVolume)]),
            };
        }).ToList();

        var note = $"Per predictor (its default encoding), {s.SelectionSeeds} seed(s): {s.SelectionSamples} random sub-networks measured live, "
            + $"the predictor fitted on them (accuracy and latency), NSGA-II on the predictor ({s.SelectionPopulation} × {s.InnerGenerations} generations, "
            + "no constraints: every latency budget of the true front is a selection), and its predicted front re-measured. "
            + $"Verification keeps the re-measured members that are truly non-dominated among themselves (kept_%). True front: every sub-network measured live on this profile in this run ({sample.Seen.Count}, the other suites' included; "
            + $"{truth.Members.Count} members). **Mean reduction in accuracy** (percentage points, mean over the true front's members t with latency budget "
            + "latency(t)): *before verification* the pick for a budget is the predicted-front member best by *predicted* accuracy among those "
            + "*predicted* to fit, judged by its measured values; a pick whose measured latency breaks the budget, or no pick, counts as losing "
            + "accuracy(t) (missed_%: such budgets). *After verification* it is the product's `MeanReductionInAccuracy` on the verified front "
            + "(measured values; no_pick_%: budgets the verified front cannot serve). Hypervolume ratios against the true front (nadir reference "
            + "point): claimed = the predicted front at its predicted values (what the search believes before verification); measured = "
            + "its members at their measured values, which is also the verified front's volume (dropping dominated members removes no "
            + "volume; verification changes which member is picked for a budget, which is what the mean reduction in accuracy shows).";
        return
        [
            new ResultTable(
                "selection-loss",
                "Selection loss per predictor, before and after verification",
                note,
                ["predictor", "encoding", "predicted_front", "kept_%", "mra_before_pp", "missed_before_%", "mra_after_pp", "no_pick_after_%", "hv_claimed", "hv_measured"],
                rows),
        ];
    }

    private static (double Reduction, double MissedShare) DeployedBeforeVerification(
        ISearchSpace space, ParetoFront truth, ParetoFront predicted, VerificationResult verification)
    {
        // The live evaluator answers with canonical genomes; the search's may carry inactive genes.
        var measured = verification.Remeasured.ToDictionary(c => space.Canonicalize(c.Genome).Key, StringComparer.Ordinal);
        double total = 0;
        var missed = 0;
        foreach (var t in truth.Members)
        {
            var budget = t.Values[1];
            var pick = predicted.Members.Where(p => p.Values[1] <= budget).MaxBy(p => p.Values[0]);
            if (pick is null || measured[space.Canonicalize(pick.Genome).Key].Values[1] > budget)
            {
                total += t.Values[0];
                missed++;
            }
            else
            {
                total += Math.Max(0, t.Values[0] - measured[space.Canonicalize(pick.Genome).Key].Values[0]);
            }
        }

        return (total / truth.Members.Count, (double)missed / truth.Members.Count);
    }

    private static double NothingDeployableShare(ParetoFront truth, ParetoFront verified) =>
        (double)truth.Members.Count(t => !verified.Members.Any(v => v.Values[1] <= t.Values[1])) / truth.Members.Count;

    private sealed record SelectionRecord(string Predictor, int Seed, ParetoFront Predicted, VerificationResult Verification);
}
