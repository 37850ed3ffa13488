using HwAwareNas.Core.Evaluation;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// The probability that a predicted candidate meets the constraints, each objective taken as a normal around its
/// prediction: the product over independent constraints, the most likely member of each set of alternatives
/// (<see cref="Constraint.AnyOf"/>). A constraint on a value the search does not predict counts as met; an exact
/// prediction (no deviation) meets a constraint or not.
/// </summary>
internal static class FeasibilityProbability
{
    /// <summary>The probability for one candidate with predicted <paramref name="means"/> and <paramref name="deviations"/> (natural units, objective order).</summary>
    public static double Of(IReadOnlyList<Objective> objectives, IReadOnlyList<Constraint> constraints, double[] means, double[] deviations)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(constraints);
        var probability = 1.0;
        foreach (var set in constraints.GroupBy(c => c.AnyOf))
        {
            var meets = set.Select(c => Meets(objectives, c, means, deviations)).ToList();
            probability *= set.Key is null ? meets.Aggregate(1.0, (a, b) => a * b) : meets.Max();
        }

        return probability;
    }

    private static double Meets(IReadOnlyList<Objective> objectives, Constraint constraint, double[] means, double[] deviations)
    {
        var index = objectives.ToList().FindIndex(o => o.Name == constraint.ObjectiveName);
        if (index < 0)
        {
            return 1;
        }

        // Margin by which the prediction meets the bound (negative: misses it).
        var margin = constraint.Comparison == ConstraintComparison.AtMost ? constraint.Bound - means[index] : means[index] - constraint.Bound;
        var deviation = deviations[index];
        return deviation > 0 ? NormalCdf(margin / deviation) : margin >= 0 ? 1 : 0;
    }

    // Φ(x): the probability only weights improvements, so erfc's seven digits are plenty.
    private static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    // Numerical Recipes' erfc (Chebyshev fit), relative error below 1.2e-7 everywhere.
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        double[] c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var poly = 0.0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            poly = c[i] + (t * poly);
        }

        var r = t * Math.Exp(-(z * z) + poly);
        return x >= 0 ? r : 2.0 - r;
    }
}
