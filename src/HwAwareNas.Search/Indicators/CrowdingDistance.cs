namespace HwAwareNas.Search.Indicators;

/// <summary>NSGA-II's crowding distance of the points of one front.</summary>
internal static class CrowdingDistance
{
    /// <summary>
    /// For each point, the sum over objectives of the gap between its neighbours along that objective, divided by
    /// the objective's range on the front. The extremes of every objective get +∞. Exact duplicates would shield
    /// each other (gap 0 on one side), so they are collapsed first: the first copy gets the distance of the
    /// unique point, every later copy gets 0, which makes survival prefer distinct points (as pymoo does).
    /// An objective with zero range adds nothing. Fronts of at most two distinct points are all +∞.
    /// </summary>
    public static double[] Compute(IReadOnlyList<double[]> front)
    {
        ArgumentNullException.ThrowIfNull(front);
        var n = front.Count;
        var distances = new double[n];
        if (n == 0)
        {
            return distances;
        }

        var unique = new List<int>();
        var isDuplicate = new bool[n];
        for (var i = 0; i < n; i++)
        {
            if (unique.Exists(u => front[u].AsSpan().SequenceEqual(front[i])))
            {
                isDuplicate[i] = true;
            }
            else
            {
                unique.Add(i);
            }
        }

        var m = front[0].Length;
        var uniqueDistance = new double[unique.Count];
        if (unique.Count <= 2)
        {
            Array.Fill(uniqueDistance, double.PositiveInfinity);
        }
        else
        {
            for (var k = 0; k < m; k++)
            {
                var objective = k;

                // Ties broken by position so the result does not depend on the sort's stability.
                var order = Enumerable.Range(0, unique.Count)
                    .OrderBy(u => front[unique[u]][objective]).ThenBy(u => u).ToArray();
                var min = front[unique[order[0]]][objective];
                var max = front[unique[order[^1]]][objective];
                uniqueDistance[order[0]] = double.PositiveInfinity;
                uniqueDistance[order[^1]] = double.PositiveInfinity;
                var range = max - min;
                if (range <= 0)
                {
                    continue;
                }

                for (var r = 1; r < order.Length - 1; r++)
                {
                    uniqueDistance[order[r]] +=
                        (front[unique[order[r + 1]]][objective] - front[unique[order[r - 1]]][objective]) / range;
                }
            }
        }

        for (var u = 0; u < unique.Count; u++)
        {
            distances[unique[u]] = uniqueDistance[u];
        }

        for (var i = 0; i < n; i++)
        {
            if (isDuplicate[i])
            {
                distances[i] = 0;
            }
        }

        return distances;
    }
}
