namespace HwAwareNas.Search.Indicators;

/// <summary>Deb's fast non-dominated sort (NSGA-II), plain and under constraint-domination.</summary>
internal static class NonDominatedSorting
{
    /// <summary>
    /// Splits minimization vectors into fronts: front 0 holds the indices no other point dominates, front k the
    /// ones only dominated by earlier fronts. Equal points share a front. Indices within a front are ascending.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Sort(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return Sort(points, new double[points.Count]);
    }

    /// <summary>
    /// Fast non-dominated sort under <see cref="Dominance.ConstrainedDominates"/>: feasible points are sorted into
    /// Pareto fronts first, then infeasible ones follow, one front per distinct violation, smallest first.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Sort(IReadOnlyList<double[]> points, IReadOnlyList<double> violations)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(violations);
        if (points.Count != violations.Count)
        {
            throw new ArgumentException("One violation per point is required.", nameof(violations));
        }

        var n = points.Count;
        var dominatedBy = new int[n];
        var dominates = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            dominates[i] = [];
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                if (Dominance.ConstrainedDominates(points[i], violations[i], points[j], violations[j]))
                {
                    dominates[i].Add(j);
                    dominatedBy[j]++;
                }
                else if (Dominance.ConstrainedDominates(points[j], violations[j], points[i], violations[i]))
                {
                    dominates[j].Add(i);
                    dominatedBy[i]++;
                }
            }
        }

        var fronts = new List<IReadOnlyList<int>>();
        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        while (current.Count > 0)
        {
            fronts.Add(current);
            var next = new List<int>();
            foreach (var i in current)
            {
                foreach (var j in dominates[i])
                {
                    if (--dominatedBy[j] == 0)
                    {
                        next.Add(j);
                    }
                }
            }

            next.Sort();
            current = next;
        }

        return fronts;
    }
}
