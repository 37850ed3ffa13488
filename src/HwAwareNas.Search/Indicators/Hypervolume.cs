namespace HwAwareNas.Search.Indicators;

/// <summary>
/// The hypervolume indicator: the volume of objective space (minimization form) that a set of points dominates
/// and that is bounded by a reference point.
/// </summary>
internal static class Hypervolume
{
    /// <summary>
    /// Exact hypervolume of <paramref name="points"/> against <paramref name="reference"/>. Points that do not
    /// strictly dominate the reference in every objective add nothing. Two objectives use a sweep, more use the
    /// HSO recursion (slice along the last objective, recurse on the rest), exact in any dimension.
    /// </summary>
    public static double Compute(IReadOnlyList<double[]> points, IReadOnlyList<double> reference)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(reference);
        var dims = reference.Count;
        var inside = new List<double[]>();
        foreach (var p in points)
        {
            if (p.Length != dims)
            {
                throw new ArgumentException("Every point needs as many objectives as the reference point.", nameof(points));
            }

            var dominatesReference = true;
            for (var k = 0; k < dims; k++)
            {
                dominatesReference &= p[k] < reference[k];
            }

            if (dominatesReference)
            {
                inside.Add(p);
            }
        }

        return Volume(inside, [.. reference], dims);
    }

    private static double Volume(List<double[]> points, double[] reference, int dims)
    {
        if (points.Count == 0)
        {
            return 0;
        }

        if (dims == 1)
        {
            return reference[0] - points.Min(p => p[0]);
        }

        if (dims == 2)
        {
            return Sweep2D(points, reference);
        }

        // Slices between consecutive distinct values of the last objective: within a slice the dominated region
        // is the (dims-1)-dimensional hypervolume of the points at or below the slice's lower edge. Points weakly
        // dominated in those dims-1 objectives add nothing to it, so they are dropped, which keeps many-objective
        // fronts (e.g. accuracy, latency, params, MACs) tractable.
        var last = dims - 1;
        var sorted = points.OrderBy(p => p[last]).ToList();
        var volume = 0.0;
        var active = new List<double[]>();
        for (var i = 0; i < sorted.Count; i++)
        {
            var point = sorted[i];
            if (!active.Any(a => WeaklyDominates(a, point, last)))
            {
                active.RemoveAll(a => WeaklyDominates(point, a, last));
                active.Add(point);
            }

            var upper = i + 1 < sorted.Count ? sorted[i + 1][last] : reference[last];
            var depth = upper - sorted[i][last];
            if (depth > 0)
            {
                volume += depth * Volume(active, reference, last);
            }
        }

        return volume;
    }

    private static bool WeaklyDominates(double[] a, double[] b, int dims)
    {
        for (var k = 0; k < dims; k++)
        {
            if (a[k] > b[k])
            {
                return false;
            }
        }

        return true;
    }

    private static double Sweep2D(List<double[]> points, double[] reference)
    {
        var sorted = points.OrderBy(p => p[0]).ThenBy(p => p[1]).ToList();
        var area = 0.0;
        var bestSecond = reference[1];
        foreach (var p in sorted)
        {
            if (p[1] < bestSecond)
            {
                area += (reference[0] - p[0]) * (bestSecond - p[1]);
                bestSecond = p[1];
            }
        }

        return area;
    }
}
