namespace HwAwareNas.Predictors.Metrics;

/// <summary>Rank and error metrics of predictions against measured values.</summary>
public static class QualityMetrics
{
    /// <summary>All metrics of <see cref="PredictionQuality"/> at once.</summary>
    public static PredictionQuality Evaluate(IReadOnlyList<double> actual, IReadOnlyList<double> predicted) =>
        new(
            CheckPairs(actual, predicted),
            KendallTau(actual, predicted),
            SpearmanRho(actual, predicted),
            Mape(actual, predicted),
            Rmse(actual, predicted),
            ShareWithin(actual, predicted, 0.05),
            ShareWithin(actual, predicted, 0.10));

    /// <summary>
    /// Kendall τ-b: (concordant − discordant) / √((n₀ − n₁)(n₀ − n₂)), where n₁ and n₂ count the pairs tied in
    /// the first and second list. Returns 0 when either list is constant (no ranking to agree with).
    /// </summary>
    public static double KendallTau(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var n = CheckPairs(x, y);
        long concordant = 0, discordant = 0, tiedX = 0, tiedY = 0, pairs = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                pairs++;
                var dx = Math.Sign(x[i] - x[j]);
                var dy = Math.Sign(y[i] - y[j]);
                if (dx == 0)
                {
                    tiedX++;
                }

                if (dy == 0)
                {
                    tiedY++;
                }

                var product = dx * dy;
                if (product > 0)
                {
                    concordant++;
                }
                else if (product < 0)
                {
                    discordant++;
                }
            }
        }

        var denominator = Math.Sqrt((double)(pairs - tiedX) * (pairs - tiedY));
        return denominator == 0 ? 0 : (concordant - discordant) / denominator;
    }

    /// <summary>Spearman ρ: the Pearson correlation of average ranks; 0 when either list is constant.</summary>
    public static double SpearmanRho(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        CheckPairs(x, y);
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>Mean of |predicted − actual| / |actual| over pairs with a non-zero actual value; NaN if there are none.</summary>
    public static double Mape(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var n = CheckPairs(actual, predicted);
        double sum = 0;
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (actual[i] != 0)
            {
                sum += Math.Abs(predicted[i] - actual[i]) / Math.Abs(actual[i]);
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Root mean squared error.</summary>
    public static double Rmse(IReadOnlyList<double> actual, IReadOnlyList<double> predicted)
    {
        var n = CheckPairs(actual, predicted);
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            var d = predicted[i] - actual[i];
            sum += d * d;
        }

        return n == 0 ? double.NaN : Math.Sqrt(sum / n);
    }

    /// <summary>Share of predictions with |predicted − actual| ≤ <paramref name="tolerance"/> · |actual|.</summary>
    public static double ShareWithin(IReadOnlyList<double> actual, IReadOnlyList<double> predicted, double tolerance)
    {
        var n = CheckPairs(actual, predicted);
        var within = 0;
        for (var i = 0; i < n; i++)
        {
            if (Math.Abs(predicted[i] - actual[i]) <= tolerance * Math.Abs(actual[i]))
            {
                within++;
            }
        }

        return n == 0 ? double.NaN : (double)within / n;
    }

    /// <summary>1-based ranks, ties sharing the average of the ranks they span.</summary>
    public static double[] AverageRanks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end + 1;
        }

        return ranks;
    }

    private static double Pearson(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    private static int CheckPairs(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"Expected lists of equal length, got {a.Count} and {b.Count}.", nameof(b));
        }

        return a.Count;
    }
}
