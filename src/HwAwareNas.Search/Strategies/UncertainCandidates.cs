using HwAwareNas.Core.Evaluation;
using HwAwareNas.Core.SearchSpace;
using HwAwareNas.Search.Indicators;
using HwAwareNas.Search.Surrogates;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// Which sub-networks beyond the predicted front deserve a live check: those the predictors are unsure enough about
/// that, <see cref="Deviations"/> standard deviations on the good side of their predictions, they would meet the
/// constraints and not be dominated by any member of the predicted front. Predictor error is what costs accuracy at
/// selection (Laube et al.); verifying these catches front members the predictors placed just behind the front or
/// just over a budget.
/// </summary>
internal static class UncertainCandidates
{
    /// <summary>Standard deviations of optimism: about the one-sided 90% bound of a normal error.</summary>
    public const double Deviations = 1.28;

    /// <summary>
    /// Up to <paramref name="limit"/> genomes of <paramref name="population"/> (not on <paramref name="predictedFront"/>)
    /// that could plausibly be feasible and non-dominated, the most plausible first: ordered by how far their
    /// optimistic values reach past the front, in units of the objectives' spread over the population.
    /// </summary>
    public static IReadOnlyList<Genome> Select(
        SurrogateEvaluator surrogate,
        IReadOnlyList<EvaluatedCandidate> population,
        IReadOnlyList<EvaluatedCandidate> predictedFront,
        IReadOnlyList<Constraint> constraints,
        int limit)
    {
        ArgumentNullException.ThrowIfNull(surrogate);
        ArgumentNullException.ThrowIfNull(population);
        ArgumentNullException.ThrowIfNull(predictedFront);
        ArgumentNullException.ThrowIfNull(constraints);
        if (limit <= 0)
        {
            return [];
        }

        var objectives = surrogate.Objectives;
        var onFront = predictedFront.Select(c => c.Genome.Key).ToHashSet(StringComparer.Ordinal);
        var rest = population.Where(c => !onFront.Contains(c.Genome.Key)).DistinctBy(c => c.Genome.Key).ToList();
        if (rest.Count == 0)
        {
            return [];
        }

        var front = ObjectiveVectors.ToMinimization(objectives, predictedFront);
        var optimistic = surrogate.Optimistic([.. rest.Select(c => c.Genome)], Deviations)
            .Select(c => c.WithConstraints(objectives, constraints))
            .ToList();
        var scale = Enumerable.Range(0, objectives.Count)
            .Select(k =>
            {
                var values = population.Select(c => c.Values[k]).ToArray();
                var range = values.Max() - values.Min();
                return range > 0 ? range : 1;
            })
            .ToArray();
        return [.. optimistic
            .Where(c => c.IsFeasible)
            .Select(c => (c.Genome, Vector: ObjectiveVectors.ToMinimization(objectives, c)))
            .Where(c => !front.Any(f => Dominance.Dominates(f, c.Vector)))
            .OrderByDescending(c => Reach(c.Vector, front, scale))
            .ThenBy(c => c.Genome.Key, StringComparer.Ordinal)
            .Take(limit)
            .Select(c => c.Genome)];
    }

    // How far a vector gets ahead of the front member nearest to dominating it: the largest scaled lead, minimised over the front.
    private static double Reach(double[] vector, double[][] front, double[] scale) =>
        front.Length == 0
            ? double.PositiveInfinity
            : front.Min(f => Enumerable.Range(0, vector.Length).Max(k => (f[k] - vector[k]) / scale[k]));
}
