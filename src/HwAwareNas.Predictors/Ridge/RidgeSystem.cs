namespace HwAwareNas.Predictors.Ridge;

/// <summary>
/// The normal equations of one training set in z-normalised space, built once so that several α can be solved
/// cheaply: (ZᵀZ/n + αI) w = Zᵀt/n.
/// </summary>
internal sealed class RidgeSystem
{
    private readonly double[] _means;
    private readonly double[] _scales;
    private readonly double[,] _gram;
    private readonly double[] _rhs;
    private readonly double _targetMean;
    private readonly double _targetScale;

    public RidgeSystem(IReadOnlyList<float[]> features, IReadOnlyList<double> targets, IReadOnlyList<int> rows)
    {
        var n = rows.Count;
        var p = features[rows[0]].Length;
        _means = new double[p];
        _scales = new double[p];
        foreach (var r in rows)
        {
            for (var j = 0; j < p; j++)
            {
                _means[j] += features[r][j];
            }
        }

        for (var j = 0; j < p; j++)
        {
            _means[j] /= n;
        }

        foreach (var r in rows)
        {
            for (var j = 0; j < p; j++)
            {
                var d = features[r][j] - _means[j];
                _scales[j] += d * d;
            }
        }

        for (var j = 0; j < p; j++)
        {
            var sd = Math.Sqrt(_scales[j] / n);
            _scales[j] = sd > 1e-12 ? sd : 1;
        }

        _targetMean = rows.Average(r => targets[r]);
        var targetSd = Math.Sqrt(rows.Average(r => (targets[r] - _targetMean) * (targets[r] - _targetMean)));
        _targetScale = targetSd > 1e-12 ? targetSd : 1;

        _gram = new double[p, p];
        _rhs = new double[p];
        var z = new double[p];
        foreach (var r in rows)
        {
            for (var j = 0; j < p; j++)
            {
                z[j] = (features[r][j] - _means[j]) / _scales[j];
            }

            var t = (targets[r] - _targetMean) / _targetScale;
            for (var j = 0; j < p; j++)
            {
                if (z[j] == 0)
                {
                    continue;
                }

                _rhs[j] += z[j] * t;
                for (var k = 0; k <= j; k++)
                {
                    _gram[j, k] += z[j] * z[k];
                }
            }
        }

        for (var j = 0; j < p; j++)
        {
            _rhs[j] /= n;
            for (var k = 0; k <= j; k++)
            {
                _gram[j, k] /= n;
            }
        }
    }

    public RidgeModel Solve(double alpha)
    {
        var p = _rhs.Length;
        var lower = new double[p, p];

        // Cholesky factorisation of the (symmetric, positive definite for α > 0) lower triangle.
        for (var j = 0; j < p; j++)
        {
            var diagonal = _gram[j, j] + alpha;
            for (var k = 0; k < j; k++)
            {
                diagonal -= lower[j, k] * lower[j, k];
            }

            lower[j, j] = Math.Sqrt(diagonal);
            for (var i = j + 1; i < p; i++)
            {
                var sum = _gram[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= lower[i, k] * lower[j, k];
                }

                lower[i, j] = sum / lower[j, j];
            }
        }

        var y = new double[p];
        for (var i = 0; i < p; i++)
        {
            var sum = _rhs[i];
            for (var k = 0; k < i; k++)
            {
                sum -= lower[i, k] * y[k];
            }

            y[i] = sum / lower[i, i];
        }

        var w = new double[p];
        for (var i = p - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < p; k++)
            {
                sum -= lower[k, i] * w[k];
            }

            w[i] = sum / lower[i, i];
        }

        return new RidgeModel((double[])_means.Clone(), (double[])_scales.Clone(), w, _targetMean, _targetScale);
    }
}
