using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;

namespace HwAwareNas.Search.Surrogates;

/// <summary>
/// An <see cref="IEvaluator"/> that predicts every objective with its own fitted surrogate model. It owns the models:
/// disposing it disposes them.
/// </summary>
internal sealed class SurrogateEvaluator : IEvaluator, IDisposable
{
    private readonly IReadOnlyList<ISurrogateModel> _models;

    private SurrogateEvaluator(IReadOnlyList<Objective> objectives, IReadOnlyList<ISurrogateModel> models)
    {
        Objectives = objectives;
        _models = models;
    }

    /// <inheritdoc />
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>
    /// Fits one fresh model per objective (from <paramref name="createModel"/>) on the measured
    /// <paramref name="data"/> and returns the evaluator that predicts with them.
    /// </summary>
    public static SurrogateEvaluator Fit(
        IReadOnlyList<Objective> objectives,
        IReadOnlyList<EvaluatedCandidate> data,
        Func<Objective, ISurrogateModel> createModel)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(createModel);
        if (data.Count == 0)
        {
            throw new ArgumentException("Surrogates need at least one measured candidate to fit.", nameof(data));
        }

        var genomes = data.Select(c => c.Genome).ToList();
        var models = new List<ISurrogateModel>(objectives.Count);
        try
        {
            for (var k = 0; k < objectives.Count; k++)
            {
                var index = k;
                models.Add(createModel(objectives[k]));
                models[k].Fit(genomes, [.. data.Select(c => c.Values[index])]);
            }
        }
        catch
        {
            // A failed (or cancelled) fit must not strand the models already made.
            models.ForEach(m => m.Dispose());
            throw;
        }

        return new SurrogateEvaluator(objectives, models);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in _models)
        {
            model.Dispose();
        }
    }

    /// <summary>
    /// Each genome's predicted objectives moved <paramref name="deviations"/> standard deviations in their better
    /// direction (higher accuracy, lower latency...): what the genome could plausibly be. Unknown deviations move nothing.
    /// </summary>
    public IReadOnlyList<EvaluatedCandidate> Optimistic(IReadOnlyList<Genome> genomes, double deviations)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        var predictions = _models.Select(m => m.Predict(genomes)).ToList();
        var spreads = _models.Select(m => m.PredictStandardDeviation(genomes)).ToList();
        return [.. genomes.Select((g, i) => new EvaluatedCandidate(
            g,
            [.. Objectives.Select((objective, k) =>
            {
                var shift = double.IsFinite(spreads[k][i]) ? deviations * spreads[k][i] : 0;
                return objective.Direction == ObjectiveDirection.Maximize ? predictions[k][i] + shift : predictions[k][i] - shift;
            })],
            EvaluationOrigin.Predicted))];
    }

    /// <summary>
    /// Each genome's predicted objectives (natural units, in objective order) and their standard deviations (NaN where
    /// a model cannot tell, 0 for exact models).
    /// </summary>
    public (double[][] Means, double[][] Deviations) PredictWithDeviations(IReadOnlyList<Genome> genomes)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        var predictions = _models.Select(m => m.Predict(genomes)).ToList();
        var spreads = _models.Select(m => m.PredictStandardDeviation(genomes)).ToList();
        return (
            [.. genomes.Select((_, i) => predictions.Select(p => p[i]).ToArray())],
            [.. genomes.Select((_, i) => spreads.Select(p => p[i]).ToArray())]);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<EvaluatedCandidate>> EvaluateAsync(IReadOnlyList<Genome> genomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genomes);
        cancellationToken.ThrowIfCancellationRequested();
        var predictions = _models.Select(m => m.Predict(genomes)).ToList();
        IReadOnlyList<EvaluatedCandidate> result = [.. genomes.Select((g, i) =>
            new EvaluatedCandidate(g, [.. predictions.Select(p => p[i])], EvaluationOrigin.Predicted))];
        return Task.FromResult(result);
    }
}
