using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Strategies;
using HwAwareNas.Search.Surrogates;

namespace HwAwareNas.Search.Tests;

[TestClass]
public sealed class UncertainCandidatesTests
{
    private static readonly Objective[] Objectives = [Objective.Accuracy, Objective.Latency];
    private static readonly Constraint[] Budget = [Constraint.AtMost(Objective.Latency.Name, 1.0)];

    // Genome id → predicted accuracy, latency and their standard deviations.
    private static readonly Dictionary<int, (double Acc, double Lat, double AccSd, double LatSd)> Predictions = new()
    {
        [1] = (0.80, 0.50, 0.001, 0.001), // predicted front
        [2] = (0.90, 0.90, 0.001, 0.001), // predicted front
        [3] = (0.78, 0.60, 0.001, 0.001), // dominated by 1, and the predictors are sure of it
        [4] = (0.78, 0.60, 0.050, 0.100), // dominated by 1 as predicted, but plausibly faster than it
        [5] = (0.95, 1.05, 0.010, 0.100), // over the latency budget as predicted, but plausibly within it
        [6] = (0.95, 1.20, 0.010, 0.010), // over the budget beyond doubt
        [7] = (0.70, 0.95, double.NaN, double.NaN), // no uncertainty known: judged as predicted, dominated
    };

    [TestMethod]
    public void PicksOnlyThePlausiblyNonDominatedAndFeasible_MostPlausibleFirst()
    {
        var surrogate = Surrogate();
        var population = Predicted(1, 2, 3, 4, 5, 6, 7);
        var front = Predicted(1, 2);

        var all = UncertainCandidates.Select(surrogate, population, front, Budget, limit: 10);
        var first = UncertainCandidates.Select(surrogate, population, front, Budget, limit: 1);

        // Optimistic (1.28 sd) values: 5 → (0.963, 0.922) leads the nearest front member by 0.37 of the accuracy range,
        // 4 → (0.844, 0.472) by 0.26; 3, 6 and 7 stay dominated or infeasible.
        CollectionAssert.AreEqual(new[] { 5, 4 }, all.Select(g => g.Choices[0]).ToArray());
        CollectionAssert.AreEqual(new[] { 5 }, first.Select(g => g.Choices[0]).ToArray());
        Assert.IsEmpty(UncertainCandidates.Select(surrogate, population, front, Budget, limit: 0));
    }

    [TestMethod]
    public void Optimistic_MovesEachObjectiveTowardsBetter()
    {
        var optimistic = Surrogate().Optimistic([new Genome([4]), new Genome([7])], 2);

        Assert.AreEqual(0.78 + 0.1, optimistic[0].Values[0], 1e-12);
        Assert.AreEqual(0.60 - 0.2, optimistic[0].Values[1], 1e-12);
        CollectionAssert.AreEqual(new[] { 0.70, 0.95 }, optimistic[1].Values.ToArray(), "unknown deviations move nothing");
    }

    private static List<EvaluatedCandidate> Predicted(params int[] ids) =>
        [.. ids.Select(id => new EvaluatedCandidate(new Genome([id]), [Predictions[id].Acc, Predictions[id].Lat], EvaluationOrigin.Predicted))];

    private static SurrogateEvaluator Surrogate() =>
        SurrogateEvaluator.Fit(Objectives, Predicted(1), objective => new ScriptedModel(objective == Objective.Accuracy));

    /// <summary>Answers from <see cref="Predictions"/> whatever it was fitted on.</summary>
    private sealed class ScriptedModel(bool accuracy) : ISurrogateModel
    {
        public void Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> values)
        {
        }

        public IReadOnlyList<double> Predict(IReadOnlyList<Genome> genomes) =>
            [.. genomes.Select(g => accuracy ? Predictions[g.Choices[0]].Acc : Predictions[g.Choices[0]].Lat)];

        public IReadOnlyList<double> PredictStandardDeviation(IReadOnlyList<Genome> genomes) =>
            [.. genomes.Select(g => accuracy ? Predictions[g.Choices[0]].AccSd : Predictions[g.Choices[0]].LatSd)];

        public void Dispose()
        {
        }
    }
}
