using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Surrogates;

namespace HwAwareNas.Search.Tests;

/// <summary>The evaluator owns the models it fits (a strategy's refit per round must not strand native memory).</summary>
[TestClass]
public sealed class SurrogateEvaluatorDisposalTests
{
    private static readonly Objective[] Objectives = [Objective.Accuracy, Objective.Latency];
    private static readonly List<EvaluatedCandidate> Data = [new(new Genome([1]), [0.8, 0.5], EvaluationOrigin.Measured)];

    [TestMethod]
    public void DisposingTheEvaluatorDisposesEveryModel()
    {
        var models = new List<CountingModel>();

        SurrogateEvaluator.Fit(Objectives, Data, _ => Add(models, new CountingModel(fails: false))).Dispose();

        Assert.HasCount(2, models);
        Assert.IsTrue(models.All(m => m.Disposed));
    }

    [TestMethod]
    public void AFailedFitDisposesTheModelsAlreadyMade()
    {
        var models = new List<CountingModel>();

        Assert.ThrowsExactly<InvalidOperationException>(() =>
            SurrogateEvaluator.Fit(Objectives, Data, o => Add(models, new CountingModel(fails: o == Objective.Latency))));

        Assert.HasCount(2, models);
        Assert.IsTrue(models.All(m => m.Disposed));
    }

    private static CountingModel Add(List<CountingModel> models, CountingModel model)
    {
        models.Add(model);
        return model;
    }

    private sealed class CountingModel(bool fails) : ISurrogateModel
    {
        public bool Disposed { get; private set; }

        public void Fit(IReadOnlyList<Genome> genomes, IReadOnlyList<double> values)
        {
            if (fails)
            {
                throw new InvalidOperationException("fit failed");
            }
        }

        public IReadOnlyList<double> Predict(IReadOnlyList<Genome> genomes) => [.. genomes.Select(_ => 0.0)];

        public IReadOnlyList<double> PredictStandardDeviation(IReadOnlyList<Genome> genomes) => [.. genomes.Select(_ => double.NaN)];

        public void Dispose() => Disposed = true;
    }
}
