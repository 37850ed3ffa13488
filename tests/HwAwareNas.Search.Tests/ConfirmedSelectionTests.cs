using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Selection;

namespace HwAwareNas.Search.Tests;

[TestClass]
public sealed class ConfirmedSelectionTests
{
    private static readonly IReadOnlyList<Objective> AccLat = [Objective.Accuracy, Objective.Latency];

    // Accuracy falls with latency; the budget of 5 ms admits the first three as the search measured them.
    private static readonly EvaluatedCandidate[] Front =
    [
        Candidate(1, 83, 4.9), Candidate(2, 82, 4.5), Candidate(3, 80, 3.0), Candidate(4, 85, 7.0),
    ];

    private static readonly BestObjectivePolicy Policy = BestObjectivePolicy.MaxAccuracy([Constraint.AtMost("latency", 5)]);

    [TestMethod]
    public async Task AWinnerWhoseSecondMeasurementBreaksTheBudgetGivesWayToTheNext()
    {
        var device = new ScriptedDevice { [1] = 5.3, [2] = 4.6, [3] = 3.1 };

        var result = await new ConfirmedSelection(Policy, device, finalistsPerRound: 1, maxRounds: 4).ChooseAsync(AccLat, Front, CancellationToken.None);

        Assert.AreEqual(Front[1].Genome, result.Selection.Chosen!.Genome);
        Assert.AreEqual(4.6, result.Selection.Chosen.Values[1], 1e-12, "the selected candidate carries the worse of its two latencies");
        CollectionAssert.AreEqual(new[] { 1, 2 }, result.Confirmations.Select(k => k.Searched.Genome[0]).ToArray());
        Assert.IsFalse(result.Confirmations[0].Passed);
        Assert.AreEqual(5.3, result.Confirmations[0].Remeasured.Values[1], 1e-12);
        Assert.IsTrue(result.Confirmations[1].Passed);
        CollectionAssert.AreEqual(new[] { 1, 1 }, device.Batches, "one finalist per round");
    }

    [TestMethod]
    public async Task FinalistsOfARoundAreMeasuredTogetherBestFirst()
    {
        var device = new ScriptedDevice { [1] = 5.3, [2] = 4.6, [3] = 3.1 };

        var result = await new ConfirmedSelection(Policy, device, finalistsPerRound: 3, maxRounds: 4).ChooseAsync(AccLat, Front, CancellationToken.None);

        Assert.AreEqual(Front[1].Genome, result.Selection.Chosen!.Genome);
        CollectionAssert.AreEqual(new[] { 3 }, device.Batches, "one batch of three, then the choice is already confirmed");
        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, result.Confirmations.Select(k => k.Searched.Genome[0]).ToArray());
    }

    [TestMethod]
    public async Task ALuckierSecondMeasurementNeverImprovesACandidate()
    {
        var device = new ScriptedDevice { [1] = 4.0 };

        var result = await new ConfirmedSelection(Policy, device, finalistsPerRound: 1, maxRounds: 4).ChooseAsync(AccLat, Front, CancellationToken.None);

        Assert.AreEqual(Front[0].Genome, result.Selection.Chosen!.Genome);
        Assert.AreEqual(4.9, result.Selection.Chosen.Values[1], 1e-12);
        Assert.HasCount(1, result.Confirmations);
    }

    [TestMethod]
    public async Task WhenEveryFinalistFailsTheNearestMissesShowTheirConfirmedValues()
    {
        var device = new ScriptedDevice { [1] = 5.5, [2] = 5.2, [3] = 5.1 };

        var result = await new ConfirmedSelection(Policy, device, finalistsPerRound: 2, maxRounds: 4).ChooseAsync(AccLat, Front, CancellationToken.None);

        Assert.IsFalse(result.Selection.IsFeasible);
        Assert.HasCount(3, result.Confirmations);
        var nearest = result.Selection.Nearest[0];
        Assert.AreEqual(Front[2].Genome, nearest.Candidate.Genome);
        Assert.AreEqual(5.1, nearest.Misses.Single().Value, 1e-12);
    }

    [TestMethod]
    public async Task OutOfRoundsOnlyAConfirmedCandidateCanBeChosen()
    {
        var device = new ScriptedDevice { [1] = 5.3 };

        var result = await new ConfirmedSelection(Policy, device, finalistsPerRound: 1, maxRounds: 1).ChooseAsync(AccLat, Front, CancellationToken.None);

        Assert.IsFalse(result.Selection.IsFeasible, "candidate 2 is feasible as searched but was never confirmed");
        Assert.HasCount(1, result.Confirmations);
    }

    [TestMethod]
    public async Task FinalSelectionFallsBackFromTheFrontToEveryMeasuredCandidateWithinTheLimits()
    {
        // A limit beyond the policy's constraints rules out genome [1], the only member of the front.
        var limit = Constraint.AtMost("params", 10);
        IReadOnlyList<ConstraintMiss> Misses(EvaluatedCandidate c) => c.Genome[0] == 1 ? [new ConstraintMiss(limit, 12, 2)] : [];

        var chosen = await FinalSelection.SelectAsync(Policy, null, 0, AccLat, [Front[0]], Front, Misses, CancellationToken.None);
        var none = await FinalSelection.SelectAsync(Policy, null, 0, AccLat, [Front[0]], [Front[0]], Misses, CancellationToken.None);

        Assert.AreEqual(Front[1].Genome, chosen.Selection.Chosen!.Genome);
        Assert.IsFalse(none.Selection.IsFeasible);
        Assert.AreEqual(limit, none.Selection.Nearest.Single().Misses.Single().Constraint, "the nearest miss names the limit it breaks");
    }

    private static EvaluatedCandidate Candidate(int id, double accuracy, double latency) =>
        new(new Genome([id]), [accuracy, latency], EvaluationOrigin.Measured);

    /// <summary>A device whose second measurement of genome [id] is scripted; unscripted genomes re-measure as searched.</summary>
    private sealed class ScriptedDevice : Dictionary<int, double>, IEvaluator
    {
        public IReadOnlyList<Objective> Objectives => AccLat;

        public List<int> Batches { get; } = [];

        public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
        {
            Batches.Add(genomes.Count);
            IReadOnlyList<EvaluatedCandidate> result = [.. genomes.Select(g =>
            {
                var searched = Front.Single(c => c.Genome.Equals(g));
                return new EvaluatedCandidate(g, [searched.Values[0], TryGetValue(g[0], out var latency) ? latency : searched.Values[1]], EvaluationOrigin.Measured);
            })];
            return Task.FromResult(result);
        }
    }
}
