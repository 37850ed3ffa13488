using HwAwareNas.Search.Indicators;

namespace HwAwareNas.Search.Strategies;

/// <summary>
/// Chooses a batch of candidates to measure by expected hypervolume improvement (EHVI) over the measured front, from
/// the predictors' means and standard deviations. Each candidate's objectives are taken as independent normals; the
/// expectation is a Monte-Carlo mean over <see cref="Samples"/> draws shared by every candidate (common random numbers,
/// so the choice is repeatable and candidates are compared on the same luck), weighted by the probability that the
/// candidate meets the constraints. The batch is greedy with fantasised updates ("Kriging believer"): once a candidate
/// is chosen its predicted mean joins the front, so the next choice must improve on it too, which spreads a batch over
/// the front instead of stacking near-copies. Adding to the front only lowers every improvement, so stale scores are
/// upper bounds and a lazy greedy recomputes only the leaders. Candidates no draw improves on are ranked by their
/// scaled uncertainty, so a converged front still explores where the predictors know least.
/// </summary>
internal static class HypervolumeAcquisition
{
    /// <summary>Monte-Carlo draws per candidate: enough to rank improvements of a few per cent apart, cheap enough for thousands of candidates.</summary>
    public const int Samples = 32;

    /// <summary>
    /// Standard deviations of optimism under which a candidate still dominated counts as no improvement, without
    /// drawing: a normal exceeds it in one objective with probability 0.1 %.
    /// </summary>
    public const double OptimisticDeviations = 3.0;

    /// <summary>
    /// Indices of up to <paramref name="count"/> candidates, best first.
    /// </summary>
    /// <param name="means">Predicted objectives per candidate, minimization form.</param>
    /// <param name="deviations">Standard deviation per candidate and objective (0 or NaN: exact).</param>
    /// <param name="feasibility">Probability per candidate that it meets the constraints (1 without constraints).</param>
    /// <param name="front">The measured feasible candidates' objectives, minimization form (need not be non-dominated).</param>
    /// <param name="reference">The hypervolume's reference point, minimization form.</param>
    /// <param name="count">Batch size.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="uncertaintyWeight">
    /// Factor on the deviations in the draws: 1 takes them as given, 0 ranks by the improvement of the means alone
    /// (the deviations then only order candidates that improve nothing).
    /// </param>
    public static IReadOnlyList<int> SelectBatch(
        IReadOnlyList<double[]> means,
        IReadOnlyList<double[]> deviations,
        IReadOnlyList<double> feasibility,
        IReadOnlyList<double[]> front,
        double[] reference,
        int count,
        int seed,
        double uncertaintyWeight = 1)
    {
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(deviations);
        ArgumentNullException.ThrowIfNull(feasibility);
        ArgumentNullException.ThrowIfNull(front);
        ArgumentNullException.ThrowIfNull(reference);
        if (deviations.Count != means.Count || feasibility.Count != means.Count)
        {
            throw new ArgumentException("Means, deviations and feasibility need one entry per candidate.", nameof(deviations));
        }

        var dims = reference.Length;
        var draws = Draws(dims, seed);
        // Only the non-dominated members bound an improvement (a study's hundreds of trials shrink to its front), sorted
        // by the first objective, which the two-objective sweep needs.
        var inside = front.Where(f => Dominance.Dominates(f, reference)).ToList();
        var current = inside.Where(f => !inside.Any(g => Dominance.Dominates(g, f))).OrderBy(f => f[0]).ToList();
        var exploration = Exploration(means, deviations, current, reference);
        if (uncertaintyWeight != 1)
        {
            deviations = [.. deviations.Select(d => d.Select(x => x * uncertaintyWeight).ToArray())];
        }

        // Scores only fall as the front grows, so a stale score bounds the true one from above (lazy greedy).
        var stale = new double[means.Count];
        var fresh = new bool[means.Count];
        for (var i = 0; i < means.Count; i++)
        {
            stale[i] = Expected(means[i], deviations[i], feasibility[i], current, reference, draws);
            fresh[i] = true;
        }

        var chosen = new List<int>(Math.Min(count, means.Count));
        var taken = new bool[means.Count];
        while (chosen.Count < count && chosen.Count < means.Count)
        {
            var best = Leader(stale, exploration, taken);
            while (!fresh[best])
            {
                stale[best] = Expected(means[best], deviations[best], feasibility[best], current, reference, draws);
                fresh[best] = true;
                best = Leader(stale, exploration, taken);
            }

            chosen.Add(best);
            taken[best] = true;
            var at = current.FindIndex(f => f[0] > means[best][0]);
            current.Insert(at < 0 ? current.Count : at, means[best]);
            Array.Fill(fresh, false);
        }

        return chosen;
    }

    /// <summary>
    /// The hypervolume that <paramref name="point"/> adds to <paramref name="front"/> (all minimization form); with two
    /// objectives the front must be sorted by the first.
    /// </summary>
    public static double Improvement(double[] point, IReadOnlyList<double[]> front, double[] reference)
    {
        if (reference.Length == 2)
        {
            return Improvement2D(point, front, reference);
        }

        var box = 1.0;
        for (var k = 0; k < reference.Length; k++)
        {
            if (point[k] >= reference[k])
            {
                return 0;
            }

            box *= reference[k] - point[k];
        }

        // The part of the point's box that the front already covers is the hypervolume of the front clipped to the box.
        var clipped = new List<double[]>(front.Count);
        foreach (var f in front)
        {
            if (Dominance.WeaklyDominates(f, point))
            {
                return 0;
            }

            var corner = new double[reference.Length];
            for (var k = 0; k < corner.Length; k++)
            {
                corner[k] = Math.Max(f[k], point[k]);
            }

            clipped.Add(corner);
        }

        return Math.Max(0, box - Hypervolume.Compute(clipped, reference));
    }

    // The same for two objectives without allocation: the front clipped to the point's box is a staircase in the
    // front's order, swept once.
    private static double Improvement2D(double[] point, IReadOnlyList<double[]> front, double[] reference)
    {
        if (point[0] >= reference[0] || point[1] >= reference[1])
        {
            return 0;
        }

        var covered = 0.0;
        var lowest = reference[1];
        for (var i = 0; i < front.Count; i++)
        {
            var f = front[i];
            if (f[0] <= point[0] && f[1] <= point[1])
            {
                return 0;
            }

            var x = Math.Max(f[0], point[0]);
            lowest = Math.Min(lowest, Math.Max(f[1], point[1]));
            var next = i + 1 < front.Count ? Math.Max(front[i + 1][0], point[0]) : reference[0];
            covered += Math.Max(0, Math.Min(next, reference[0]) - Math.Min(x, reference[0])) * Math.Max(0, reference[1] - lowest);
        }

        return Math.Max(0, ((reference[0] - point[0]) * (reference[1] - point[1])) - covered);
    }

    private static double Expected(
        double[] mean, double[] deviation, double feasible, List<double[]> front, double[] reference, double[][] draws)
    {
        if (feasible <= 0)
        {
            return 0;
        }

        var exact = deviation.All(d => !(d > 0));
        if (exact)
        {
            return feasible * Improvement(mean, front, reference);
        }

        // A candidate that is dominated even OptimisticDeviations deviations on its good side can hardly improve anything.
        var optimistic = new double[mean.Length];
        for (var k = 0; k < optimistic.Length; k++)
        {
            optimistic[k] = mean[k] - (deviation[k] > 0 ? OptimisticDeviations * deviation[k] : 0);
        }

        if (Improvement(optimistic, front, reference) <= 0)
        {
            return 0;
        }

        var sum = 0.0;
        var point = new double[mean.Length];
        foreach (var z in draws)
        {
            for (var k = 0; k < point.Length; k++)
            {
                point[k] = mean[k] + (deviation[k] > 0 ? deviation[k] * z[k] : 0);
            }

            sum += Improvement(point, front, reference);
        }

        return feasible * sum / draws.Length;
    }

    // The highest score not yet taken; ties go to the larger scaled uncertainty, then the lower index.
    private static int Leader(double[] scores, double[] exploration, bool[] taken)
    {
        var best = -1;
        for (var i = 0; i < scores.Length; i++)
        {
            if (taken[i])
            {
                continue;
            }

            if (best < 0 || scores[i] > scores[best] || (scores[i] == scores[best] && exploration[i] > exploration[best]))
            {
                best = i;
            }
        }

        return best;
    }

    // Each candidate's standard deviations in units of the objectives' spread (front and reference), summed.
    private static double[] Exploration(
        IReadOnlyList<double[]> means, IReadOnlyList<double[]> deviations, List<double[]> front, double[] reference)
    {
        var scale = new double[reference.Length];
        for (var k = 0; k < scale.Length; k++)
        {
            var lowest = front.Count == 0 ? means.Select(m => m[k]).DefaultIfEmpty(reference[k]).Min() : front.Min(f => f[k]);
            scale[k] = reference[k] - lowest is var range && range > 0 ? range : 1;
        }

        return [.. deviations.Select(d => d.Select((v, k) => v > 0 ? v / scale[k] : 0).Sum())];
    }

    // Standard normal draws (Box–Muller), one vector per sample, the same for every candidate.
    private static double[][] Draws(int dims, int seed)
    {
        var random = new Random(seed);
        var draws = new double[Samples][];
        for (var s = 0; s < Samples; s++)
        {
            draws[s] = new double[dims];
            for (var k = 0; k < dims; k++)
            {
                var u1 = 1.0 - random.NextDouble();
                var u2 = random.NextDouble();
                draws[s][k] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            }
        }

        return draws;
    }
}
